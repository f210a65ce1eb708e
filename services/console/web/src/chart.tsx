import type { EChartsType } from "echarts/core";
import { useEffect, useRef } from "preact/hooks";

/** ECharts, loaded once on the first chart: the sign-in page and tables do not wait for it. */
let echarts: Promise<typeof import("./echarts-setup")> | undefined;
const loadEcharts = () => (echarts ??= import("./echarts-setup"));

/** An ECharts chart (SVG renderer: crisp at any zoom, and its text is in the DOM). `label` names it for screen readers. */
export function Chart({ option, height = 260, label }: { option: Record<string, unknown>; height?: number; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const latest = useRef(option);
  latest.current = option;
  useEffect(() => {
    let disposed = false;
    const resize = () => chart.current?.resize();
    void loadEcharts().then(({ init }) => {
      if (disposed || !el.current) return;
      chart.current = init(el.current, undefined, { renderer: "svg" });
      chart.current.setOption({ animation: false, ...latest.current }, true);
      window.addEventListener("resize", resize);
    });
    return () => {
      disposed = true;
      window.removeEventListener("resize", resize);
      chart.current?.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, ...option }, true);
  }, [option]);
  return <div class="chart" ref={el} style={{ height: `${height}px` }} role="img" aria-label={label} />;
}
