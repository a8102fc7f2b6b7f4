import * as logger from 'mvx-common/logger';

describe('mvx-common/logger entry', () => {
  it('exports exactly the public runtime names', () => {
    expect(Object.keys(logger).sort()).toEqual(
      [
        'ConsoleJsonSink',
        'LOG_ERROR_HANDLINGS',
        'LOG_LEVELS',
        'LogContext',
        'LogDeliveryError',
        'MemorySink',
        'PINO_LEVEL_METHODS',
        'PatternLogEventPolicy',
        'PayloadNormalizer',
        'WINSTON_LEVELS',
        'buildErrorPayload',
        'configureLogContext',
        'createLogEvent',
        'createLogEventMeta',
        'createPayloadNormalizer',
        'formatLogMessage',
        'getLogContext',
        'getRootLogContext',
        'isErrorLogged',
        'isLogLevel',
        'logInvocation',
        'logLevelSeverity',
        'markErrorLogged',
        'pinoSink',
        'resetLogger',
        'toLogRecord',
        'winstonSink',
      ].sort(),
    );
  });
});
