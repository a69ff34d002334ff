/** The report's own styles; the chart library's stylesheet is added next to them (assets.ts). */
export const STYLES = `
:root {
  --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --paper: #ffffff; --page: #f3f4f6;
  --good: #047857; --good-bg: #d1fae5; --warn: #b45309; --warn-bg: #fef3c7; --bad: #b91c1c; --bad-bg: #fee2e2;
  --accent: #2563eb; --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 28px 48px; }
header.report { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; margin-bottom: 18px; }
header.report h1 { font-size: 22px; margin: 0; }
header.report .meta { color: var(--muted); width: 100%; display: flex; flex-wrap: wrap; gap: 4px 18px; }
header.report .meta b { color: var(--ink); font-weight: 600; }
h2 { font-size: 16px; margin: 0 0 10px; }
h3 { font-size: 14px; margin: 14px 0 8px; color: var(--muted); font-weight: 600; }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin: 0 0 16px; overflow-x: auto; }
td code { white-space: nowrap; }
code, pre, .mono { font-family: var(--mono); font-size: 12.5px; }
.verdict { font-weight: 700; padding: 3px 10px; border-radius: 999px; font-size: 13px; letter-spacing: .04em; }
.verdict.pass { color: var(--good); background: var(--good-bg); }
.verdict.fail { color: var(--bad); background: var(--bad-bg); }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 16px; }
.tiles-role { margin: 0 0 6px; font-weight: 600; color: var(--muted); }
.tile { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; border-top: 4px solid var(--line); }
.tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
.tile .value { font-size: 26px; font-weight: 700; margin-top: 2px; white-space: nowrap; }
.tile .detail { color: var(--muted); font-size: 12px; }
.tile.good { border-top-color: var(--good); } .tile.good .value { color: var(--good); }
.tile.warn { border-top-color: var(--warn); } .tile.warn .value { color: var(--warn); }
.tile.bad { border-top-color: var(--bad); } .tile.bad .value { color: var(--bad); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 16px; }
.u-legend .u-series:first-child { display: none; }
.u-legend { font-size: 12px; }
.chart { min-width: 0; overflow: hidden; }
.chart h3 { margin-top: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); white-space: nowrap; }
thead tr.groups th { text-align: center; color: var(--ink); border-bottom: 1px solid var(--line); }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.wrap { word-break: break-word; }
tbody tr:hover { background: #f9fafb; }
.rate { display: inline-flex; align-items: center; gap: 8px; justify-content: flex-end; }
svg.bar { width: 80px; height: 8px; border-radius: 4px; background: var(--line); }
svg.bar rect.good { fill: var(--good); } svg.bar rect.warn { fill: var(--warn); } svg.bar rect.bad { fill: var(--bad); }
.good-text { color: var(--good); font-weight: 600; } .warn-text { color: var(--warn); font-weight: 600; } .bad-text { color: var(--bad); font-weight: 600; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.badge.high, .badge.fail { color: var(--bad); background: var(--bad-bg); }
.badge.medium { color: var(--warn); background: var(--warn-bg); }
.badge.low, .badge.pass { color: var(--good); background: var(--good-bg); }
.badge.noise { color: var(--muted); background: var(--page); }
details.route { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 10px; }
details.route > summary { cursor: pointer; padding: 10px 12px; display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
details > summary { list-style: none; }
details > summary::-webkit-details-marker { display: none; }
details > summary::before { content: '▸'; color: var(--muted); }
details[open] > summary::before { content: '▾'; }
details.route > summary .route-name { font-family: var(--mono); font-weight: 600; word-break: break-all; }
details.route > summary .requests { color: var(--muted); margin-right: auto; }
details.route > .body { padding: 0 12px 12px; }
details.field { border-top: 1px solid var(--line); }
details.field > summary { cursor: pointer; display: grid; grid-template-columns: 12px minmax(220px, 3fr) 130px 70px 70px 80px; gap: 10px; padding: 7px 4px; align-items: center; }
.field-head .num, details.field > summary .num { text-align: right; font-variant-numeric: tabular-nums; }
details.field > summary .path { font-family: var(--mono); word-break: break-all; }
.field-head { display: grid; grid-template-columns: minmax(220px, 3fr) 130px 70px 70px 80px; gap: 10px; padding: 4px 4px 4px 26px; font-size: 12px; color: var(--muted); font-weight: 600; }
.pairs { padding: 4px 0 10px 18px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; margin-top: 8px; }
.pair .side { min-width: 0; }
.pair .side .who { font-size: 12px; color: var(--muted); margin-bottom: 2px; }
.pair pre { margin: 0; padding: 8px 10px; background: #f8fafc; border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; word-break: break-word; max-height: 260px; overflow: auto; }
.pair .at { grid-column: 1 / -1; font-size: 12px; color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
ul.plain { margin: 0; padding-left: 18px; }
.note { color: var(--muted); font-size: 12px; margin-top: 8px; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
`;
