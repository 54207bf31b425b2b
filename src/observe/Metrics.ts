// Counters and gauges every stage reports to, rendered at GET /metrics in Prometheus text format.

export type Labels = Record<string, string>;

interface Series {
  help: string;
  type: 'counter' | 'gauge';
  /** By rendered label key; a cell so that a bound counter adds to it without looking it up. */
  values: Map<string, { value: number }>;
}

/** A counter with its labels resolved once: `inc` adds straight to its value (for per-span hot paths). */
export interface BoundCounter {
  inc(by?: number): void;
}

/** A small Prometheus registry: no dependency, no allocation on the hot path beyond a map lookup. */
export class Metrics {
  private readonly series = new Map<string, Series>();
  private readonly gauges = new Map<string, () => number>();

  /** Declares a counter (idempotent). Names follow Prometheus rules: prefloop_<what>_total. */
  counter(name: string, help: string): void {
    if (!this.series.has(name)) this.series.set(name, { help, type: 'counter', values: new Map() });
  }

  /** Adds to a counter. */
  inc(name: string, by = 1, labels?: Labels): void {
    this.cell(name, labels).value += by;
  }

  /**
   * The counter `name` with `labels`, to add to many times: a scorer counts each rubric's results on every
   * span, and four map lookups a result were a measurable share of scoring. The series appears in `render`
   * at the first `inc`, as with `inc` on the registry; `labels` are read then, once (pass a frozen object).
   */
  bind(name: string, labels?: Labels): BoundCounter {
    if (!this.series.has(name)) throw new Error(`metrics: counter ${name} was never declared`);
    let cell: { value: number } | undefined;
    return {
      inc: (by = 1) => {
        cell ??= this.cell(name, labels);
        cell.value += by;
      },
    };
  }

  /** Current value of a counter (for tests and summaries). */
  get(name: string, labels?: Labels): number {
    return this.series.get(name)?.values.get(labelKey(labels))?.value ?? 0;
  }

  private cell(name: string, labels: Labels | undefined): { value: number } {
    const s = this.series.get(name);
    if (!s) throw new Error(`metrics: counter ${name} was never declared`);
    const key = labelKey(labels);
    let cell = s.values.get(key);
    if (!cell) s.values.set(key, (cell = { value: 0 }));
    return cell;
  }

  /** Declares a gauge read at scrape time (queue depth, spool bytes). */
  gauge(name: string, help: string, read: () => number): void {
    this.series.set(name, { help, type: 'gauge', values: new Map() });
    this.gauges.set(name, read);
  }

  /**
   * Sets a labelled gauge to a value (a per-rubric state measured now and then, not read at scrape time);
   * the first call declares it.
   */
  setGauge(name: string, help: string, value: number, labels?: Labels): void {
    if (!this.series.has(name)) this.series.set(name, { help, type: 'gauge', values: new Map() });
    this.cell(name, labels).value = value;
  }

  /** Prometheus text exposition format 0.0.4. */
  render(): string {
    const lines: string[] = [];
    for (const [name, s] of this.series) {
      lines.push(`# HELP ${name} ${s.help}`, `# TYPE ${name} ${s.type}`);
      const read = this.gauges.get(name);
      if (read) {
        lines.push(`${name} ${formatNumber(read())}`);
        continue;
      }
      if (s.values.size === 0) lines.push(`${name} 0`);
      for (const [key, { value }] of s.values) lines.push(`${name}${key} ${formatNumber(value)}`);
    }
    return lines.join('\n') + '\n';
  }
}

function labelKey(labels?: Labels): string {
  return labels ? renderLabels(labels) : '';
}

function renderLabels(labels: Labels): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]!.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function formatNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
}
