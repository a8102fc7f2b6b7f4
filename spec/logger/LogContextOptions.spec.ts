// Internal on purpose: the namespace check shared by LogContext and configureLogContext.
import { checkNamespace } from '../../lib/logger/LogContextOptions.js';

describe('checkNamespace', () => {
  it('accepts dotted segments of [A-Za-z][A-Za-z0-9_-]*', () => {
    expect(() => checkNamespace('namespace', 'my_app.metrics-1.Rec')).not.toThrow();
  });

  it.each(['', '.a', 'a.', 'a b', '9a', 'a.$'])('refuses %j with a RangeError naming the parameter', (ns) => {
    expect(() => checkNamespace('ns', ns)).toThrow(/Expected `ns` to be dotted segments/);
  });
});
