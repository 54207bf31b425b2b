// Charts as plain inline SVG drawn on the server: a bar chart (histograms, counts), a multi-series line chart
// (counts over time) and a sparkline (a cluster's size over runs). No chart library and no script: the page's
// Content-Security-Policy allows neither inline styles nor scripts, so colours come from CSS classes
// (.series-N in assets/charts.css) and every chart carries a <title> and an aria-label for screen readers.
import { html, type SafeHtml } from './html.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
}

export interface Series {
  readonly name: string;
  /** One value per x position (missing positions count as 0). */
  readonly values: readonly number[];
}

const fmt = (n: number): string => String(Math.round(n * 10) / 10);

/** Vertical bars, one per label, scaled to the largest value; the count shows on hover (<title>). */
export function barChart(bars: readonly Bar[], title: string, width = 480, height = 160): SafeHtml {
  if (!bars.length) return emptyChart(title, width, height);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const plotH = height - 24;
  const step = width / bars.length;
  const barW = Math.max(1, step * 0.8);
  const labelEvery = Math.max(1, Math.ceil(bars.length / 8));
  return html`<svg
    class="chart"
    role="img"
    aria-label="${title}"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
  >
    <title>${title}</title>
    ${bars.map((b, i) => {
      const h = (b.value / max) * (plotH - 4);
      const x = i * step + (step - barW) / 2;
      return html`<rect
          class="bar"
          x="${fmt(x)}"
          y="${fmt(plotH - h)}"
          width="${fmt(barW)}"
          height="${fmt(h)}"
          ><title>${b.label}: ${b.value}</title></rect
        >${
          i % labelEvery === 0
            ? html`<text class="axis" x="${fmt(i * step + step / 2)}" y="${height - 8}" text-anchor="middle"
                >${b.label}</text
              >`
            : ''
        }`;
    })}
    <line class="baseline" x1="0" y1="${plotH}" x2="${width}" y2="${plotH}" />
  </svg>`;
}

/** One line per series over shared x labels, with a legend; y scaled to the largest value. */
export function lineChart(
  xLabels: readonly string[],
  series: readonly Series[],
  title: string,
  width = 480,
  height = 180,
): SafeHtml {
  if (!xLabels.length || !series.length) return emptyChart(title, width, height);
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const legendW = 120;
  const plotW = width - legendW;
  const plotH = height - 24;
  const x = (i: number): number =>
    xLabels.length === 1 ? plotW / 2 : (i / (xLabels.length - 1)) * (plotW - 8) + 4;
  const y = (v: number): number => plotH - (v / max) * (plotH - 8);
  const labelEvery = Math.max(1, Math.ceil(xLabels.length / 4));
  return html`<svg
    class="chart"
    role="img"
    aria-label="${title}"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
  >
    <title>${title}</title>
    ${series.map((s, k) => {
      const points = xLabels.map((_, i) => `${fmt(x(i))},${fmt(y(s.values[i] ?? 0))}`).join(' ');
      return html`<polyline class="line series-${k % 6}" fill="none" points="${points}"
          ><title>${s.name}</title></polyline
        >${xLabels.map(
          (label, i) =>
            html`<circle
              class="dot series-${k % 6}"
              cx="${fmt(x(i))}"
              cy="${fmt(y(s.values[i] ?? 0))}"
              r="2.5"
              ><title>${s.name} ${label}: ${s.values[i] ?? 0}</title></circle
            >`,
        )}<rect
          class="swatch series-${k % 6}"
          x="${plotW + 10}"
          y="${10 + k * 16}"
          width="10"
          height="10"
        /><text class="legend" x="${plotW + 24}" y="${19 + k * 16}">${s.name}</text>`;
    })}${xLabels.map((label, i) =>
      labelShown(i, xLabels.length, labelEvery)
        ? html`<text
            class="axis"
            x="${fmt(x(i))}"
            y="${height - 8}"
            text-anchor="${anchor(i, xLabels.length)}"
            >${label}</text
          >`
        : '',
    )}
    <text class="axis" x="2" y="10">${max}</text>
    <line class="baseline" x1="0" y1="${plotH}" x2="${plotW}" y2="${plotH}" />
  </svg>`;
}

/** A small line of values (oldest first), no axes; a single value is drawn as a dot. */
export function sparkline(values: readonly number[], title: string, width = 100, height = 24): SafeHtml {
  if (!values.length) return emptyChart(title, width, height);
  const max = Math.max(1, ...values);
  const x = (i: number): number =>
    values.length === 1 ? width / 2 : (i / (values.length - 1)) * (width - 4) + 2;
  const y = (v: number): number => height - 2 - (v / max) * (height - 4);
  const points = values.map((v, i) => `${fmt(x(i))},${fmt(y(v))}`).join(' ');
  const last = values.length - 1;
  return html`<svg
    class="spark"
    role="img"
    aria-label="${title}"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
  >
    <title>${title}</title>
    <polyline class="line series-0" fill="none" points="${points}" />
    <circle class="dot series-0" cx="${fmt(x(last))}" cy="${fmt(y(values[last]!))}" r="2" />
  </svg>`;
}

function emptyChart(title: string, width: number, height: number): SafeHtml {
  return html`<svg
    class="chart empty"
    role="img"
    aria-label="${title}: no data"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
  >
    <title>${title}: no data</title>
    <text class="axis" x="${width / 2}" y="${height / 2}" text-anchor="middle">no data yet</text>
  </svg>`;
}

/** Values into `bins` equal-width bars between min and max (labels are the bins' lower edges). */
export function histogram(values: readonly { lower: number; count: number }[], digits = 2): Bar[] {
  return values.map((v) => ({ label: v.lower.toFixed(digits), value: v.count }));
}

/** Axis labels at the ends stay inside the chart: the first starts at its point, the last ends there. */
function anchor(i: number, count: number): 'start' | 'middle' | 'end' {
  if (count > 1 && i === 0) return 'start';
  if (count > 1 && i === count - 1) return 'end';
  return 'middle';
}

/** Every `every`-th axis label and the last, leaving out one that would crowd the last. */
function labelShown(i: number, count: number, every: number): boolean {
  if (i === count - 1) return true;
  return i % every === 0 && count - 1 - i >= Math.max(1, every / 2);
}
