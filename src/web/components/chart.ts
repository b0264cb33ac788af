/**
 * A record's history as a uPlot line chart with a time-range choice, read from
 * `GET /api/history`.
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import { api } from "../api.ts";
import { scaleUnit } from "../format.ts";
import { html } from "../html.ts";
import { ErrorNote } from "./common.ts";

const RANGES: readonly [string, number][] = [
  ["1 h", 3_600_000],
  ["6 h", 21_600_000],
  ["24 h", 86_400_000],
  ["7 d", 604_800_000],
  ["30 d", 2_592_000_000],
];

interface Row {
  t: number;
  value: number | string | null;
}

/**
 * The chart of one record.
 *
 * @param props Instance, record path, label and API unit, and a counter that grows with
 *   each live value (to append it).
 * @returns The element.
 */
export function HistoryChart(
  props: {
    instance: string;
    path: string;
    label: string;
    unit: string | undefined;
    live: number;
  },
): preact.JSX.Element {
  const [range, setRange] = useState(3_600_000);
  const [count, setCount] = useState<number | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let plot: uPlot | undefined;
    let live = true;
    const to = Date.now();
    const q = new URLSearchParams({
      instance: props.instance,
      address: props.path,
      from: String(to - range),
      to: String(to),
      limit: "5000",
    });
    api<{ rows: Row[] }>("GET", `/api/history?${q}`).then((body) => {
      if (!live || !box.current) return;
      const rows = body.rows.filter((r) => typeof r.value === "number");
      setCount(rows.length);
      setError(undefined);
      const unit = rows.length
        ? scaleUnit(rows[0]?.value as number, props.unit)
        : scaleUnit(0, props.unit);
      const factor = rows.length && unit.value !== 0
        ? (rows[0]?.value as number) / unit.value
        : 1;
      const xs = rows.map((r) => r.t / 1000);
      const ys = rows.map((r) => (r.value as number) / factor);
      const width = Math.max(260, box.current.clientWidth);
      plot = new uPlot(
        {
          width,
          height: 220,
          // The chosen range, not only the rows' span (one row would fill years).
          scales: {
            x: { time: true, range: [(to - range) / 1000, to / 1000] },
          },
          series: [{}, {
            label: `${props.label} (${unit.unit})`,
            stroke: "#1f6feb",
            width: 2,
            points: { show: rows.length < 60 },
          }],
          axes: [{ space: 80 }, { label: unit.unit, size: 60 }],
          legend: { show: false },
        },
        [xs, ys],
        box.current,
      );
    }, (e: unknown) => {
      if (live) setError(e instanceof Error ? e.message : String(e));
    });
    return () => {
      live = false;
      plot?.destroy();
    };
  }, [props.instance, props.path, range, props.live]);
  return html`<figure class="chart">
    <figcaption>
      <span>History of ${props.label}</span>
      <span role="group" aria-label="Time range" class="seg">
        ${
    RANGES.map(([name, ms]) =>
      html`
        <button type="button" aria-pressed=${range === ms}
          onClick=${() => setRange(ms)}>${name}</button>
      `
    )
  }
      </span>
    </figcaption>
    <div ref=${box} class="plot" data-points=${count ?? ""}></div>
    ${
    count === 0
      ? html`<p class="muted">No history in this range (is the meter's "log" setting on?)</p>`
      : null
  }
    <${ErrorNote} message=${error} />
  </figure>`;
}
