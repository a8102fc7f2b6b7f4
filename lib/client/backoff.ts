/**
 * Reconnection delays: bounded exponential backoff with jitter.
 * @internal
 */
export interface BackoffSettings {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
  /** Fraction in [0, 1] of the delay that is randomised away ("equal jitter" at 0.5). */
  readonly jitter: number;
}

/**
 * The delay before reconnection attempt `attempt` (1 for the first retry):
 * `min(maxDelayMs, initialDelayMs * factor^(attempt-1)) * (1 - jitter * random)`, with `random` in
 * [0, 1). Always within `[(1 - jitter) * base, base]`, never above `maxDelayMs`.
 * @internal
 */
export function backoffDelay(settings: BackoffSettings, attempt: number, random: number): number {
  const exponent = Math.max(0, attempt - 1);
  const grown = settings.initialDelayMs * Math.pow(settings.factor, exponent);
  const base = Number.isFinite(grown) ? Math.min(settings.maxDelayMs, grown) : settings.maxDelayMs;
  const r = random >= 0 && random < 1 ? random : 0;
  return base * (1 - settings.jitter * r);
}
