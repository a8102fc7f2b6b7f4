/**
 * A tiny benchmark harness: runs a measurement several times and reports min / median / max, so the
 * machine's noise is visible next to every figure.
 */
export interface Sample {
  readonly name: string;
  readonly unit: string;
  readonly runs: number[];
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function sample(name: string, unit: string, runs: number[]): Sample {
  const sorted = runs.slice().sort((a, b) => a - b);
  return {
    name,
    unit,
    runs,
    min: sorted[0]!,
    median: sorted[Math.floor(sorted.length / 2)]!,
    max: sorted[sorted.length - 1]!,
  };
}

/** Nanoseconds per operation of `body(n)`, which performs `n` operations. */
export function nsPerOp(n: number, body: (n: number) => void): number {
  const start = process.hrtime.bigint();
  body(n);
  return Number(process.hrtime.bigint() - start) / n;
}

/** Repeats `measure` (after `warmup` discarded runs) and summarizes it. */
export function repeat(name: string, unit: string, times: number, measure: () => number, warmup = 2): Sample {
  for (let i = 0; i < warmup; i++) measure();
  const runs: number[] = [];
  for (let i = 0; i < times; i++) runs.push(measure());
  return sample(name, unit, runs);
}

export async function repeatAsync(
  name: string,
  unit: string,
  times: number,
  measure: () => Promise<number>,
  warmup = 1,
): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await measure();
  const runs: number[] = [];
  for (let i = 0; i < times; i++) runs.push(await measure());
  return sample(name, unit, runs);
}

export function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

export function line(s: Sample): string {
  return `${s.name.padEnd(58)} median ${fmt(s.median).padStart(8)} ${s.unit}  (min ${fmt(s.min)}, max ${fmt(s.max)})`;
}

/** A ratio line with a target: `a / b = r (target <= t): met|NOT met`. */
export function ratio(label: string, a: Sample, b: Sample, target?: number): string {
  const r = a.median / b.median;
  const spread = `range ${fmt(a.min / b.max)}..${fmt(a.max / b.min)}`;
  const verdict = target === undefined ? '' : `  target <= ${target}: ${r <= target ? 'met' : 'NOT met'}`;
  return `${label.padEnd(58)} ratio ${r.toFixed(3)} (${spread})${verdict}`;
}

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}
