/**
 * The keys of option types, as runtime lists for `readOptions`, checked against the types at compile time:
 * adding an option to a type without adding it here fails the build, so an option is never refused as
 * unknown by mistake.
 * @internal
 */
import type { RecorderOptions } from '../metrics/recorder/types.js';

/** True when `Keys` lists every key of `T` (and nothing else). @internal */
export type ListsEvery<T, Keys extends readonly PropertyKey[]> = [Exclude<keyof T, Keys[number]>] extends [
  never,
]
  ? [Exclude<Keys[number], keyof T>] extends [never]
    ? true
    : false
  : false;

/** Every key of {@link RecorderOptions}. @internal */
export const RECORDER_OPTION_KEYS = Object.freeze([
  'namespace',
  'capacity',
  'overflow',
  'scheduler',
  'metricErrors',
  'stopTimeoutMs',
  'startTimeoutMs',
  'logContext',
] as const);

/** Compile-time check: {@link RECORDER_OPTION_KEYS} lists exactly the keys of `RecorderOptions`. @internal */
export const RECORDER_OPTION_KEYS_COMPLETE: ListsEvery<RecorderOptions, typeof RECORDER_OPTION_KEYS> = true;
