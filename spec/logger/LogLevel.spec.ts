import { LOG_LEVELS, isLogLevel, logLevelSeverity } from 'mvx-common/logger';

describe('LogLevel', () => {
  it('lists the five levels from least to most severe', () => {
    expect(LOG_LEVELS).toEqual(['debug', 'info', 'warning', 'error', 'critical']);
    expect(Object.isFrozen(LOG_LEVELS)).toBe(true);
  });

  describe('logLevelSeverity', () => {
    it('uses the Python logging scale', () => {
      expect(LOG_LEVELS.map(logLevelSeverity)).toEqual([10, 20, 30, 40, 50]);
    });

    it('refuses unknown names with a RangeError naming `level`', () => {
      expect(() => logLevelSeverity('warn' as never)).toThrow(RangeError);
      expect(() => logLevelSeverity('warn' as never)).toThrow(/Expected `level` to be one of 'debug'/);
    });

    it('refuses non-strings with a TypeError', () => {
      expect(() => logLevelSeverity(20 as never)).toThrow(TypeError);
    });
  });

  describe('isLogLevel', () => {
    it('accepts only the exact names', () => {
      expect(isLogLevel('critical')).toBe(true);
      expect(isLogLevel('fatal')).toBe(false);
      expect(isLogLevel('toString')).toBe(false);
      expect(isLogLevel(undefined)).toBe(false);
    });
  });
});
