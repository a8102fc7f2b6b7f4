/**
 * `mvx-common/testing`: helpers that make tests of metrics and recorders short.
 */
export { collect } from './collect.js';
export type { Collected } from './collect.js';
export type { TestRecorderOptions } from './marbles.js';
export { createTestScheduler, createTestRecorder, dimensionsOf, reduceEvents } from './marbles.js';
