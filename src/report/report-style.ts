/** The report page's stylesheet, inlined into its `<style>` so the page needs nothing else. */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #1d2329; --muted: #6b7480; --line: #dde1e6; --accent: #d9480f; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 20px 28px 12px; background: #fff; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 22px; }
main { padding: 8px 28px 40px; max-width: 1400px; }
section { margin-top: 24px; }
h2 { font-size: 17px; margin: 0 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 8px; }
.muted { color: var(--muted); font-weight: normal; }
.stats { display: flex; flex-wrap: wrap; gap: 12px; margin: 10px 0; }
.stat { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 170px; }
.stat-value { font-size: 20px; font-weight: 600; }
.stat-label { color: var(--fg); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart { background: #fff; border: 1px solid var(--line); border-radius: 6px; }
.chart-title { font-size: 13px; font-weight: 600; fill: var(--fg); }
.chart-frame { fill: none; stroke: var(--line); }
.chart-grid { stroke: #eef0f3; }
.chart-tick, .chart-legend, .chart-label { font-size: 11px; fill: var(--muted); }
.chart-empty { font-size: 13px; fill: var(--muted); }
.sheet { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.card.picked { border: 2px solid var(--accent); }
.card-head { font-weight: 600; margin-bottom: 6px; }
.badge { background: var(--accent); color: #fff; border-radius: 3px; padding: 1px 6px; font-size: 11px; font-weight: 600; margin-left: 6px; }
.pair { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px; }
figure { margin: 0; min-width: 0; }
figure img { width: 100%; height: auto; display: block; border: 1px solid var(--line); }
figcaption { font-size: 11px; color: var(--muted); text-align: center; }
table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #f0f2f5; font-weight: 600; }
td code { white-space: pre-wrap; word-break: break-all; }
tr.weak td { background: #fff4e6; }
.bar { vertical-align: middle; }
.bar-bg { fill: #e9ecef; }
.bar-fg { fill: #2b8a3e; }
.kv td:first-child { color: var(--muted); white-space: nowrap; }
`;

/** Styles of the frame map (frameMapSvg): the hovered frame's preview is shown by CSS alone. */
export const FRAME_MAP_CSS = `
.frame-map .map-preview { display: none; }
.frame-map .map-pt:hover .map-preview { display: inline; }
.frame-map .map-pt:hover > circle:first-of-type { stroke: #000; stroke-width: 2; }
.frame-map .map-panel { fill: #f0f2f5; stroke: var(--line); }
.frame-map .map-ring { stroke: #f08c00; stroke-width: 2.5; }
.frame-map .map-x { stroke: #e03131; stroke-width: 2.5; }
.frame-map a { cursor: pointer; }
`;
