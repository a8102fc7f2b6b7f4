/**
 * A time-bounded list of increments with a running total, shared by the windowed quantile operators.
 * @internal
 */
export class IncrementWindow<I> {
  private entries: { readonly time: number; readonly inc: I }[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly add: (inc: I) => void,
    private readonly remove: (inc: I) => void,
  ) {}

  /** Adds an increment at `time` and evicts those at or before `time - windowMs` (never the new one). */
  push(time: number, inc: I): void {
    this.entries.push({ time, inc });
    this.add(inc);
    let drop = 0;
    while (drop < this.entries.length - 1 && this.entries[drop]!.time <= time - this.windowMs) {
      this.remove(this.entries[drop]!.inc);
      drop++;
    }
    if (drop > 0) this.entries = this.entries.slice(drop);
  }

  clear(): void {
    this.entries = [];
  }
}
