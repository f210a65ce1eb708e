/** One sample of the pipeline: seconds since start, offered rate, warehouse lag in events. */
export interface LagSample {
  t: number;
  rate: number;
  lag: number;
}

/** A small self-contained SVG: warehouse lag (events) over time, offered-rate steps shaded and labelled. */
export function lagSvg(samples: LagSample[], title: string): string {
  const W = 900;
  const H = 360;
  const L = 70;
  const R = 20;
  const T = 40;
  const B = 50;
  const tMax = Math.max(1, ...samples.map((s) => s.t));
  const lMax = Math.max(10, ...samples.map((s) => s.lag)) * 1.1;
  const x = (t: number) => L + (t / tMax) * (W - L - R);
  const y = (l: number) => H - B - (l / lMax) * (H - T - B);
  const steps: { from: number; to: number; rate: number }[] = [];
  for (const s of samples) {
    const last = steps[steps.length - 1];
    if (last && last.rate === s.rate) last.to = s.t;
    else steps.push({ from: s.t, to: s.t, rate: s.rate });
  }
  const bands = steps
    .map((s, i) => `<rect x="${x(s.from).toFixed(1)}" y="${T}" width="${Math.max(0, x(s.to) - x(s.from)).toFixed(1)}" height="${H - T - B}" fill="${i % 2 ? "#f3f3f3" : "#e8eef8"}"/>` +
      `<text x="${((x(s.from) + x(s.to)) / 2).toFixed(1)}" y="${T + 14}" font-size="11" text-anchor="middle">${s.rate ? `${s.rate}/s` : "drain"}</text>`)
    .join("\n");
  const path = samples.map((s, i) => `${i ? "L" : "M"}${x(s.t).toFixed(1)},${y(s.lag).toFixed(1)}`).join(" ");
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = Math.round(lMax * f);
    return `<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ccc"/><text x="${L - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="11" text-anchor="end">${v}</text>`;
  });
  const xTicks = Array.from({ length: 6 }, (_, i) => (tMax * i) / 5).map(
    (t) => `<text x="${x(t).toFixed(1)}" y="${H - B + 16}" font-size="11" text-anchor="middle">${Math.round(t)}s</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${W / 2}" y="22" font-size="14" text-anchor="middle">${title}</text>
${bands}
${yTicks.join("\n")}
${xTicks.join("\n")}
<path d="${path}" fill="none" stroke="#c0392b" stroke-width="2"/>
<text x="16" y="${(T + H - B) / 2}" font-size="12" transform="rotate(-90 16 ${(T + H - B) / 2})" text-anchor="middle">lag: events acknowledged, not yet committed to ods_events</text>
<text x="${W / 2}" y="${H - 10}" font-size="12" text-anchor="middle">time since the first step</text>
</svg>
`;
}
