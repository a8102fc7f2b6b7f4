/**
 * `mvx-common/testing`: helpers that make tests of metrics and recorders short.
 */
export { collect } from './collect.js';
export type { Collected } from './collect.js';
export { createTestScheduler } from './createTestScheduler.js';
export type { TestRecorderOptions } from './createTestRecorder.js';
export { createTestRecorder } from './createTestRecorder.js';
export { dimensionsOf } from './dimensionsOf.js';
export { reduceEvents } from './reduceEvents.js';
