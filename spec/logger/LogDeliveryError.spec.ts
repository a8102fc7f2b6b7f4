import { LogDeliveryError } from 'mvx-common/logger';

describe('LogDeliveryError', () => {
  it('carries a stable code, the event name and the cause', () => {
    const cause = new Error('disk full');
    const err = new LogDeliveryError('app.save', cause);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('LogDeliveryError');
    expect(err.code).toBe('LOG_DELIVERY_FAILED');
    expect(err.eventName).toBe('app.save');
    expect(err.cause).toBe(cause);
    expect(err.message).toBe("Could not deliver log event 'app.save': Error: disk full");
  });

  it('describes non-error causes', () => {
    expect(new LogDeliveryError('x', 'oops').message).toMatch(/: oops$/);
  });
});
