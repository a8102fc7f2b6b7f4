/**
 * The demo's load scenario: a request rate that drifts over time, with an error burst and a latency
 * spike in every 45-second cycle (the first burst 8 s after the start), so there is something to see.
 */
import type { Phase } from './events';

export const CYCLE_S = 45;

export interface ScenarioState {
  readonly phase: Phase;
  readonly errorRate: number;
  readonly latencyFactor: number;
  /** Requests per second the load generator aims at. */
  readonly rps: number;
}

/** The scenario `elapsedMs` after the start, for a base rate of `rate` requests per second. */
export function scenarioAt(elapsedMs: number, rate: number): ScenarioState {
  const t = elapsedMs / 1000;
  const inCycle = t % CYCLE_S;
  const wave = 1 + 0.45 * Math.sin((2 * Math.PI * t) / 60) + 0.2 * Math.sin((2 * Math.PI * t) / 13);
  const rps = Math.max(0.1 * rate, rate * wave);
  if (inCycle >= 8 && inCycle < 14)
    return { phase: 'error burst', errorRate: 0.3, latencyFactor: 1.5, rps: rps * 1.3 };
  if (inCycle >= 26 && inCycle < 31)
    return { phase: 'latency spike', errorRate: 0.02, latencyFactor: 8, rps };
  return { phase: 'steady', errorRate: 0.01, latencyFactor: 1, rps };
}
