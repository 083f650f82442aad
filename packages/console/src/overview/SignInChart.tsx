import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SignInHour } from './queries.js';

/** The series drawn, in the order of the legend; colours tell them apart, the legend names them. */
export const SERIES = [
  { key: 'succeeded', label: 'Succeeded', colour: '#1e7b3c' },
  { key: 'failed', label: 'Failed', colour: '#b3261e' },
  { key: 'lockouts', label: 'Locked', colour: '#8a5a00' },
] as const;

const HEIGHT = 260;
const bars = uPlot.paths.bars?.({ size: [0.6, 24] });

/**
 * Successes as bars, failures and locks as lines with points on top of them: equal counts stay
 * apart, where three lines would lie on one another.
 */
function seriesOf(s: (typeof SERIES)[number], i: number): uPlot.Series {
  if (i === 0) return { label: s.label, stroke: s.colour, fill: `${s.colour}99`, width: 1, paths: bars, points: { show: false } };
  return { label: s.label, stroke: s.colour, width: 2, dash: i === 2 ? [6, 4] : undefined, points: { size: 6 } };
}

function dataOf(hours: readonly SignInHour[]): uPlot.AlignedData {
  return [hours.map((h) => Date.parse(h.hour) / 1000), ...SERIES.map(({ key }) => hours.map((h) => h[key]))];
}

/**
 * Sign-ins per hour as uPlot draws them, the width of its container. The canvas is a picture for
 * the eye: `label` names it for assistive technology, and the screen gives its figures as text.
 */
export function SignInChart({ hours, label }: { hours: readonly SignInHour[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  useEffect(() => {
    const target = box.current;
    if (!target) return;
    const plot = new uPlot(
      {
        width: target.clientWidth || 600,
        height: HEIGHT,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        // Half an hour either side, so that the first and last hours' bars are whole.
        scales: {
          x: { time: true, range: (_u, min, max) => [min - 1800, max + 1800] },
          y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] },
        },
        axes: [{}, { label: 'Sign-ins per hour', size: 60 }],
        series: [{}, ...SERIES.map(seriesOf)],
      },
      [[], ...SERIES.map(() => [])],
      target,
    );
    chart.current = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: target.clientWidth, height: HEIGHT }));
    resize.observe(target);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setData(dataOf(hours));
  }, [hours]);

  return (
    <div className="signin-chart">
      <div ref={box} role="img" aria-label={label} />
      <ul className="chart-legend" aria-hidden="true">
        {SERIES.map((s) => (
          <li key={s.key}>
            <span className={`swatch ${s.key}`} style={{ color: s.colour }} />
            {s.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
