/** One bar of the chart: a Roomkit/baseline ratio with its per-pair range and the A/A ratio. */
export interface Bar {
  label: string;
  ratio: number;
  min: number;
  max: number;
  aa?: number;
  /** The ratio above which the issue asks for a profile. */
  threshold?: number;
}

/** The axis ends here: a noisy latency ratio (30× in one pair) must not squash the rest. */
const AXIS_MAX = 2.5;

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A horizontal bar chart of ratios, 1.0 marked; a plain SVG with no dependencies. The axis stops
 * at {@link AXIS_MAX}: what lies beyond is drawn at the edge with an arrow, its value in the label.
 */
export function ratioChart(title: string, bars: readonly Bar[]): string {
  const left = 230;
  const width = 1000;
  const plot = width - left - 240; // room on the right for the labels
  const row = 30;
  const top = 56;
  const height = top + bars.length * row + 46;
  const hi = AXIS_MAX;
  const x = (v: number) => left + (Math.min(v, hi) / hi) * plot;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${esc(title)}</text>`,
    `<text x="${width / 2}" y="40" text-anchor="middle" fill="#555">Roomkit ÷ plain Socket.IO (median of pairs; whisker: min–max; ◆ A/A run; | threshold)</text>`,
  ];
  for (let t = 0; t <= hi; t += 0.5) {
    out.push(
      `<line x1="${x(t)}" y1="${top - 6}" x2="${x(t)}" y2="${top + bars.length * row}" stroke="${t === 1 ? "#333" : "#e3e3e3"}" stroke-width="${t === 1 ? 1.5 : 1}"/>`,
    );
    out.push(`<text x="${x(t)}" y="${top + bars.length * row + 16}" text-anchor="middle" fill="#555">${t.toFixed(1)}×</text>`);
  }
  bars.forEach((b, i) => {
    const y = top + i * row;
    const over = b.threshold !== undefined && b.ratio > b.threshold;
    out.push(`<text x="${left - 8}" y="${y + 19}" text-anchor="end">${esc(b.label)}</text>`);
    if (!Number.isFinite(b.ratio)) return;
    out.push(
      `<rect x="${left}" y="${y + 7}" width="${Math.max(1, x(b.ratio) - left)}" height="16" fill="${over ? "#d9822b" : "#3b7dd8"}"/>`,
    );
    out.push(`<line x1="${x(b.min)}" y1="${y + 15}" x2="${x(b.max)}" y2="${y + 15}" stroke="#222"/>`);
    out.push(
      `<line x1="${x(b.min)}" y1="${y + 10}" x2="${x(b.min)}" y2="${y + 20}" stroke="#222"/><line x1="${x(b.max)}" y1="${y + 10}" x2="${x(b.max)}" y2="${y + 20}" stroke="#222"/>`,
    );
    if (b.threshold !== undefined)
      out.push(`<line x1="${x(b.threshold)}" y1="${y + 4}" x2="${x(b.threshold)}" y2="${y + 26}" stroke="#c0392b" stroke-width="2"/>`);
    if (b.max > hi) out.push(`<path d="M${x(hi)} ${y + 15} l-7 -5 v10 z" fill="#222"/>`);
    if (b.aa !== undefined) out.push(`<path d="M${x(b.aa)} ${y + 9} l5 6 l-5 6 l-5 -6 z" fill="#888"/>`);
    const beyond = [
      ...(b.max > hi ? [`max ${b.max.toFixed(1)}×`] : []),
      ...(b.aa !== undefined && b.aa > hi ? [`A/A ${b.aa.toFixed(1)}×`] : []),
    ];
    const right = Math.min(hi, Math.max(b.ratio, b.max, b.aa ?? 0, b.threshold ?? 0));
    out.push(
      `<text x="${x(right) + 10}" y="${y + 19}" fill="#222" font-weight="600">${b.ratio.toFixed(2)}×` +
        (beyond.length ? `<tspan fill="#777" font-weight="400"> (${beyond.join(", ")})</tspan>` : "") +
        "</text>",
    );
  });
  out.push(
    `<text x="${left}" y="${height - 8}" fill="#777" font-size="11">Lower is cheaper for Roomkit; 1.0× costs the same as the hand-written baseline.</text>`,
  );
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
