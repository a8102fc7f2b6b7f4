import { checkOneOf } from '../../internal/validate.js';
import { PatternLogEventPolicy } from '../../logger/PatternLogEventPolicy.js';

/**
 * How much the metrics recorder/runtime log through their log context:
 * - `'silent'`: the policy enables nothing (decorated `failed`/`cancelled` outcomes still pass: they bypass
 *   policies by design);
 * - `'normal'`: lifecycle and error events;
 * - `'inspection'`: `'normal'` plus read-only inspection calls.
 */
export type MetricsLogMode = 'silent' | 'normal' | 'inspection';

/**
 * Every {@link MetricsLogMode}.
 */
export const METRICS_LOG_MODES: readonly MetricsLogMode[] = Object.freeze(['silent', 'normal', 'inspection']);

/**
 * Shared builder of the presets: `defaultEnabled: false` plus one allow rule on **event names** (never on
 * the composed namespace key, so the presets work on any context namespace).
 * @internal
 */
export function presetPolicy(
  mode: unknown,
  normal: readonly string[],
  inspection: readonly string[],
): PatternLogEventPolicy {
  const checked = checkOneOf('mode', mode, METRICS_LOG_MODES);
  const names = checked === 'silent' ? [] : checked === 'normal' ? normal : [...normal, ...inspection];
  return new PatternLogEventPolicy({
    defaultEnabled: false,
    rules: names.length === 0 ? [] : [{ action: 'allow', eventNames: names }],
  });
}
