/**
 * Server-rendered SVG charts: no client JavaScript, no chart library. Each chart is an image with a
 * text alternative, its data as a table (open under the chart; always read by screen readers) and
 * as CSV. Colours come from classes with dark variants, so the charts follow `prefers-color-scheme`.
 */
import type { ReactNode } from 'react';

export interface Series {
  key: string;
  label: string;
  /** Tailwind fill classes, light and dark (literal strings, so Tailwind keeps them). */
  fill: string;
  /** The legend swatch (background classes). */
  swatch: string;
}

export const OUTCOME_SERIES: Series[] = [
  { key: 'deny', label: 'Deny', fill: 'fill-slate-400 dark:fill-slate-500', swatch: 'bg-slate-400 dark:bg-slate-500' },
  { key: 'request_info', label: 'Request info', fill: 'fill-sky-400 dark:fill-sky-500', swatch: 'bg-sky-400 dark:bg-sky-500' },
  { key: 'verify', label: 'Verify', fill: 'fill-cyan-600 dark:fill-cyan-400', swatch: 'bg-cyan-600 dark:bg-cyan-400' },
  { key: 'reprocess', label: 'Reprocess', fill: 'fill-violet-500 dark:fill-violet-400', swatch: 'bg-violet-500 dark:bg-violet-400' },
  { key: 'refill', label: 'Refill', fill: 'fill-indigo-500 dark:fill-indigo-400', swatch: 'bg-indigo-500 dark:bg-indigo-400' },
  {
    key: 'balance_credit',
    label: 'Balance credit',
    fill: 'fill-emerald-600 dark:fill-emerald-400',
    swatch: 'bg-emerald-600 dark:bg-emerald-400',
  },
  {
    key: 'original_method_refund',
    label: 'Refund to original method',
    fill: 'fill-amber-500 dark:fill-amber-400',
    swatch: 'bg-amber-500 dark:bg-amber-400',
  },
  { key: 'escalate', label: 'Escalate', fill: 'fill-rose-500 dark:fill-rose-400', swatch: 'bg-rose-500 dark:bg-rose-400' },
];

export const csvOf = (header: string[], rows: (string | number | null)[][]) =>
  [header, ...rows]
    .map((r) => r.map((c) => (c == null ? '' : /[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(','))
    .join('\n');

/**
 * A chart's frame: title, the picture, a legend, and the same data as a table and as CSV (`csv`
 * when the file should carry plain figures where the table shows formatted ones), then `footer`
 * (links the picture cannot hold).
 */
export function ChartCard({
  id,
  title,
  summary,
  children,
  legend,
  table,
  csv,
  footer,
}: {
  id: string;
  title: string;
  summary: string;
  children: ReactNode;
  legend?: Series[];
  table: { header: string[]; rows: (string | number | null)[][] };
  csv?: string;
  footer?: ReactNode;
}) {
  const data = csv ?? csvOf(table.header, table.rows);
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="rounded-lg border border-slate-200 bg-white p-4 text-slate-800 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      data-testid={`chart-${id}`}
    >
      <div className="flex items-baseline justify-between gap-3">
        <h2 id={`${id}-title`} className="text-sm font-semibold text-slate-900 dark:text-slate-100">
          {title}
        </h2>
        <a
          className="text-xs text-indigo-700 hover:underline dark:text-indigo-300"
          href={`data:text/csv;charset=utf-8,${encodeURIComponent(data)}`}
          download={`${id}.csv`}
        >
          CSV<span className="sr-only"> of {title}</span>
        </a>
      </div>
      <p className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">{summary}</p>
      <div className="mt-2" aria-hidden="true">
        {children}
      </div>
      {legend ? (
        <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-600 dark:text-slate-300" aria-hidden="true">
          {legend.map((s) => (
            <li key={s.key} className="flex items-center gap-1">
              <span className={`inline-block h-2.5 w-2.5 rounded-sm ${s.swatch}`} />
              {s.label}
            </li>
          ))}
        </ul>
      ) : null}
      <details className="mt-2 text-xs">
        <summary className="cursor-pointer text-slate-600 dark:text-slate-300">Data table</summary>
        <DataTable caption={title} header={table.header} rows={table.rows} />
      </details>
      {footer ? <div className="mt-2 text-xs text-slate-700 dark:text-slate-300">{footer}</div> : null}
    </section>
  );
}

export function DataTable({ caption, header, rows }: { caption: string; header: string[]; rows: (string | number | null)[][] }) {
  return (
    <div className="mt-1 max-h-72 overflow-auto">
      <table className="w-full border-collapse text-left text-xs">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {header.map((h) => (
              <th key={h} scope="col" className="border-b border-slate-200 px-2 py-1 font-medium dark:border-slate-700">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td
                  key={j}
                  className={`border-b border-slate-100 px-2 py-0.5 dark:border-slate-800 ${typeof c === 'number' ? 'tabular-nums' : ''}`}
                >
                  {c ?? '—'}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const niceMax = (v: number) => {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const n = v / p;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
};

/** Stacked columns, one per x (a day, by default labelled MM-DD), the series stacked bottom-up. */
export function StackedColumns({
  xs,
  series,
  value,
  height = 180,
  format = (v: number) => String(v),
  xLabel = (x: string) => x.slice(5),
}: {
  xs: string[];
  series: Series[];
  value: (x: string, key: string) => number;
  height?: number;
  format?: (v: number) => string;
  xLabel?: (x: string) => string;
}) {
  const W = 720;
  const H = height;
  const left = 40;
  const bottom = 20;
  const top = 8;
  const totals = xs.map((x) => series.reduce((s, se) => s + value(x, se.key), 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotW = W - left - 4;
  const plotH = H - bottom - top;
  const band = xs.length ? plotW / xs.length : plotW;
  const barW = Math.max(1, Math.min(24, band * 0.7));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const every = Math.max(1, Math.ceil(xs.length / 8));
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="presentation">
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line x1={left} x2={W - 4} y1={y(max * f)} y2={y(max * f)} className="stroke-slate-200 dark:stroke-slate-700" strokeWidth={1} />
          <text x={left - 6} y={y(max * f) + 3} textAnchor="end" className="fill-slate-500 text-[10px] dark:fill-slate-400">
            {format(max * f)}
          </text>
        </g>
      ))}
      {xs.map((x, i) => {
        let acc = 0;
        const cx = left + i * band + (band - barW) / 2;
        return (
          <g key={x}>
            {series.map((s) => {
              const v = value(x, s.key);
              if (!v) return null;
              const y0 = y(acc);
              acc += v;
              const y1 = y(acc);
              return (
                <rect key={s.key} x={cx} y={y1} width={barW} height={Math.max(0.5, y0 - y1)} className={s.fill}>
                  <title>{`${x} · ${s.label}: ${format(v)}`}</title>
                </rect>
              );
            })}
            {i % every === 0 ? (
              <text x={cx + barW / 2} y={H - 6} textAnchor="middle" className="fill-slate-500 text-[10px] dark:fill-slate-400">
                {xLabel(x)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

/** Horizontal bars, one per row, with a reference line (the team's figure) and highlighted rows. */
export function Bars({
  rows,
  max: givenMax,
  reference,
  referenceLabel,
  format = (v: number) => String(v),
}: {
  rows: { label: string; value: number; isHighlighted?: boolean }[];
  max?: number;
  reference?: number;
  referenceLabel?: string;
  format?: (v: number) => string;
}) {
  const W = 720;
  const rowH = 22;
  const labelW = 150;
  const valueW = 80;
  const H = Math.max(rowH, rows.length * rowH) + 14;
  const max = givenMax ?? niceMax(Math.max(reference ?? 0, ...rows.map((r) => r.value)));
  const plotW = W - labelW - valueW;
  const x = (v: number) => labelW + (max ? (v / max) * plotW : 0);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="presentation">
      {rows.map((r, i) => (
        <g key={r.label}>
          <text
            x={labelW - 8}
            y={i * rowH + 15}
            textAnchor="end"
            className={`text-[11px] ${r.isHighlighted ? 'fill-red-700 font-semibold dark:fill-red-300' : 'fill-slate-700 dark:fill-slate-200'}`}
          >
            {r.label}
          </text>
          <rect
            x={labelW}
            y={i * rowH + 4}
            width={Math.max(0, x(r.value) - labelW)}
            height={rowH - 8}
            rx={2}
            className={r.isHighlighted ? 'fill-red-500 dark:fill-red-400' : 'fill-indigo-500 dark:fill-indigo-400'}
          />
          <text x={x(r.value) + 6} y={i * rowH + 15} className="fill-slate-600 text-[11px] tabular-nums dark:fill-slate-300">
            {format(r.value)}
          </text>
        </g>
      ))}
      {reference !== undefined ? (
        <g>
          <line
            x1={x(reference)}
            x2={x(reference)}
            y1={0}
            y2={H - 12}
            className="stroke-slate-900 dark:stroke-slate-100"
            strokeDasharray="3 3"
            strokeWidth={1}
          />
          <text x={x(reference)} y={H - 2} textAnchor="middle" className="fill-slate-600 text-[10px] dark:fill-slate-300">
            {referenceLabel ?? format(reference)}
          </text>
        </g>
      ) : null}
    </svg>
  );
}
