import { builtinKindOf } from '../metrics/kinds/builtinKindOf.js';
import type { RecorderReading } from '../metrics/source/snapshotSource.js';
import type { MetricSnapshot } from '../metrics/snapshot.js';

/** What one snapshot contributes to a tick, serialised once per snapshot object. */
interface Piece {
  /** JSON of the snapshot's dimensions. */
  readonly values: string;
  /** JSON of its definition (`WireMetricDefinition`). */
  readonly definition: string;
}

/** The serialised content of one tick. @internal */
export interface TickContent {
  /**
   * The end of the `snapshot` payload after `{"seq":…,"time":…,`: the definitions version and the
   * recorders' values. The same string object as the previous tick's when nothing changed.
   */
  readonly body: string;
  /** True when this tick changed the definitions (a new `definitions` event is due). */
  readonly definitionsChanged: boolean;
}

const json = (value: unknown): string => JSON.stringify(value) ?? 'null';

/**
 * Serialises readings into the wire protocol's payloads (docs/dashboard.md). Snapshots are immutable
 * and a metric that did not change keeps its snapshot object, so each snapshot is serialised once
 * (a WeakMap keyed by the snapshot), however many ticks it lives for; a tick then costs string
 * concatenation of the cached pieces. The definitions are the concatenation of the definition pieces:
 * comparing it with the previous one tells when recorders or metrics appeared, went or changed.
 * @internal
 */
export class FrameBuilder {
  private readonly pieces = new WeakMap<MetricSnapshot, Piece | null>();
  private signature: string | undefined;
  private lastBody = '';
  private version = 0;
  private definitionsPayload = '{"version":0,"recorders":[]}';
  /** Snapshots left out because their dimensions could not be serialised. */
  unserializable = 0;

  /** The current `definitions` payload (JSON). */
  get definitions(): string {
    return this.definitionsPayload;
  }

  get definitionsVersion(): number {
    return this.version;
  }

  build(readings: readonly RecorderReading[]): TickContent {
    const recorders: string[] = [];
    const definitions: string[] = [];
    for (const reading of readings) {
      const values: string[] = [];
      const metrics: string[] = [];
      const snapshots = reading.snapshots;
      let names: string[];
      try {
        names = Object.keys(snapshots);
      } catch {
        continue;
      }
      for (const name of names) {
        const piece = this.piece(snapshots[name]);
        if (piece === null) continue;
        values.push(`${json(name)}:${piece.values}`);
        metrics.push(piece.definition);
      }
      const labels = labelsOf(reading);
      recorders.push(
        `{"recorderId":${json(reading.recorderId)},${labels}"state":${json(reading.state ?? null)},` +
          `"stats":${this.stats(reading)},"startTime":${json(finiteOrNull(reading.startTime))},` +
          `"values":{${values.join(',')}}}`,
      );
      definitions.push(
        `{"recorderId":${json(reading.recorderId)},${labels}"entityId":${json(reading.entityId)},` +
          `"namespace":${json(reading.namespace)},"metrics":[${metrics.join(',')}]}`,
      );
    }
    const signature = definitions.join(',');
    const definitionsChanged = signature !== this.signature;
    if (definitionsChanged) {
      this.signature = signature;
      this.version += 1;
      this.definitionsPayload = `{"version":${this.version},"recorders":[${signature}]}`;
    }
    let body = `"definitions":${this.version},"recorders":[${recorders.join(',')}]}`;
    if (body === this.lastBody) body = this.lastBody;
    else this.lastBody = body;
    return { body, definitionsChanged };
  }

  private stats(reading: RecorderReading): string {
    try {
      return json(reading.stats ?? null);
    } catch {
      return 'null';
    }
  }

  private piece(snapshot: MetricSnapshot | undefined): Piece | null {
    if (snapshot === null || typeof snapshot !== 'object') return null;
    const cached = this.pieces.get(snapshot);
    if (cached !== undefined) return cached;
    let piece: Piece | null;
    try {
      const values = JSON.stringify(snapshot.dimensions);
      if (typeof values !== 'string' || values[0] !== '{')
        throw new TypeError('dimensions are not an object');
      const definition: Record<string, unknown> = {
        name: snapshot.name,
        kind: snapshot.kind,
        builtin: builtinKindOf(snapshot) ?? null,
      };
      if (typeof snapshot.description === 'string') definition['description'] = snapshot.description;
      if (typeof snapshot.unit === 'string') definition['unit'] = snapshot.unit;
      piece = { values, definition: JSON.stringify(definition) };
    } catch {
      this.unserializable += 1;
      piece = null;
    }
    this.pieces.set(snapshot, piece);
    return piece;
  }
}

/** `"labels":{...},` for a reading with string labels, else nothing. */
function labelsOf(reading: RecorderReading): string {
  const labels = reading.labels;
  if (labels === undefined || labels === null || typeof labels !== 'object') return '';
  const out: Record<string, string> = {};
  let n = 0;
  try {
    for (const key of Object.keys(labels)) {
      const value = labels[key];
      if (typeof value !== 'string') continue;
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      n++;
    }
  } catch {
    return '';
  }
  return n === 0 ? '' : `"labels":${json(out)},`;
}

function finiteOrNull(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
