/**
 * Test helpers for the Prometheus text exposition: a small parser (samples with labels, HELP and TYPE
 * per family) and `promtool check metrics` (which must be installed: CI installs Debian `prometheus`).
 */
import { spawnSync } from 'node:child_process';

export interface ParsedSample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface ParsedExposition {
  readonly samples: readonly ParsedSample[];
  readonly types: ReadonlyMap<string, string>;
  readonly help: ReadonlyMap<string, string>;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'Nan' || text === 'NaN') return NaN;
  const n = Number(text);
  if (Number.isNaN(n)) throw new Error(`not a sample value: ${text}`);
  return n;
}

/** Parses the Prometheus text format (and the subset of OpenMetrics prom-client writes). */
export function parseExposition(text: string): ParsedExposition {
  const samples: ParsedSample[] = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line === '# EOF') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/s.exec(line);
    if (meta) {
      (meta[1] === 'TYPE' ? types : help).set(meta[2]!, meta[3]!);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/s.exec(line);
    if (!m) throw new Error(`unparsable exposition line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const body = m[2] ? m[2].slice(1, -1) : '';
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gsy;
    let at = 0;
    while (at < body.length) {
      re.lastIndex = at;
      const l = re.exec(body);
      if (!l) throw new Error(`unparsable labels: ${body}`);
      labels[l[1]!] = l[2]!.replace(/\\(.)/gs, (_s, c: string) => (c === 'n' ? '\n' : c));
      at = re.lastIndex;
    }
    samples.push({ name: m[1]!, labels, value: parseValue(m[3]!) });
  }
  return { samples, types, help };
}

/** The samples of `name` whose labels include `labels`. */
export function samplesOf(
  parsed: ParsedExposition,
  name: string,
  labels: Record<string, string> = {},
): ParsedSample[] {
  return parsed.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

/** The single value of `name{labels}` (throws unless exactly one sample matches). */
export function valueOf(parsed: ParsedExposition, name: string, labels: Record<string, string> = {}): number {
  const found = samplesOf(parsed, name, labels);
  if (found.length !== 1) {
    throw new Error(`expected one sample ${name}${JSON.stringify(labels)}, found ${found.length}`);
  }
  return found[0]!.value;
}

/** Throws a clear error when a Prometheus binary is missing (tests must fail, not skip). */
const available = new Set<string>();

export function requireBinary(binary: 'promtool' | 'prometheus'): string {
  if (available.has(binary)) return binary;
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `\`${binary}\` is not installed: this test needs Debian's prometheus package ` +
        '(apt-get update && apt-get install -y --no-install-recommends prometheus; .ci/run installs it)',
    );
  }
  available.add(binary);
  return binary;
}

export interface LintResult {
  /** 0 clean, 3 lint problems, 1 parse error. */
  readonly status: number | null;
  readonly output: string;
}

/** `promtool check metrics` of `text` (the Prometheus text format). */
export function promtoolCheck(text: string): LintResult {
  const r = spawnSync(requireBinary('promtool'), ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
