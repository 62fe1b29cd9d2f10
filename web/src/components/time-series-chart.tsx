// One metric series as a uPlot line chart (a library made for time series: fast, small, canvas),
// with its current, average and maximum as text, so the figures do not depend on seeing the chart.
// Steps where nothing was measured are gaps, not zeros.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  labels: string[];
  values: number[];
  unit: string;
  current: number;
  avg: number;
  max: number;
}

// Counts (requests, instances) read as counts; fractions keep two decimals.
const fmt = (n: number) => (Number.isInteger(n) || Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));

/**
 * `measured[i]` false: nothing was measured in that step (a latency or an error rate of a minute
 * without requests), so the line has a gap there instead of a 0 that never happened.
 */
export function TimeSeriesChart({ title, series, measured }: { title: string; series: Series; measured?: readonly boolean[] }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const values = series.values.map((v, i) => (measured && measured[i] === false ? null : v));
  const drawn = values.filter((v): v is number => v !== null);
  const data: uPlot.AlignedData = [series.labels.map((l) => new Date(l).getTime() / 1000), values];
  useEffect(() => {
    if (!box.current) return undefined;
    const width = Math.max(280, box.current.clientWidth);
    chart.current = new uPlot(
      {
        width,
        height: 180,
        // With gaps, a minute between two gaps is a point, not a line: draw the points so it shows.
        series: [{}, { label: `${title} (${series.unit})`, stroke: '#1f5fd1', fill: 'rgba(31,95,209,0.12)', width: 2, ...(measured ? { points: { show: true, size: 5 } } : {}) }],
        axes: [{}, { size: 56 }],
        legend: { show: false },
      },
      data,
      box.current,
    );
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
    // The chart is made once per series; later data goes through setData below.
  }, [title, series.unit]);
  useEffect(() => {
    chart.current?.setData(data);
  });
  return (
    <figure className="card" style={{ margin: 0 }}>
      <figcaption>
        <strong>{title}</strong> <span className="muted">({series.unit})</span>
        <div>
          current {fmt(series.current)} · average {fmt(series.avg)} · max {fmt(series.max)}
        </div>
      </figcaption>
      <div ref={box} role="img" aria-label={`${title} chart, ${drawn.length} points, latest ${drawn.length > 0 ? `${fmt(drawn[drawn.length - 1] ?? 0)} ${series.unit}` : 'none'}`} />
    </figure>
  );
}
