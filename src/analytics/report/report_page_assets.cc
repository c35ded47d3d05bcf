// Inline CSS and script of the HTML report.
#include "report/report_page_assets.h"

namespace ridesweep::analytics::report {
namespace {

constexpr std::string_view kStylesheet = R"css(
:root {
  --ink: #1d2230; --muted: #5d6475; --faint: #8a90a0; --line: #e3e6ec; --bg: #f4f5f8; --card: #ffffff;
  --accent: #3b528b; --good: #2e7d4f; --warn: #b7791f; --bad: #c0392b;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 20px 36px; }
.mono, code { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 0.92em; }
.page-header { margin-bottom: 14px; }
.eyebrow { color: var(--accent); font-weight: 600; letter-spacing: 0.06em; text-transform: uppercase; font-size: 12px; }
h1 { margin: 4px 0 2px; font-size: 28px; font-weight: 650; }
h1 .mono { font-size: 0.9em; }
h2 { font-size: 19px; margin: 0 0 10px; font-weight: 650; }
h3 { font-size: 15px; margin: 14px 0 8px; font-weight: 600; }
.subtitle { margin: 0; color: var(--muted); }
nav { margin-top: 10px; display: flex; flex-wrap: wrap; gap: 6px; }
nav a { color: var(--accent); text-decoration: none; font-size: 13px; padding: 3px 10px; border: 1px solid var(--line);
  border-radius: 999px; background: var(--card); }
nav a:hover { border-color: var(--accent); }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 16px;
  margin: 14px 0; box-shadow: 0 1px 2px rgba(20, 30, 60, 0.04); }
.banner { border-radius: 10px; padding: 11px 16px; margin: 14px 0; font-weight: 500; border: 1px solid; }
.banner-complete { background: #eaf6ef; border-color: #b9e0c8; color: #1f5c3a; }
.banner-partial { background: #fff6e6; border-color: #f3d29a; color: #7a4d0b; }
.banner-only_failures, .banner-empty { background: #fdecea; border-color: #f3b8b1; color: #8a2318; }
.tiles { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: #fbfcfd;
  border-left: 4px solid var(--good); }
.tile-warn { border-left-color: var(--warn); }
.tile-bad { border-left-color: var(--bad); }
#tile-wall-time, #tile-throughput { border-left-color: var(--accent); }
.tile-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.tile-value { font-size: 26px; font-weight: 650; margin: 2px 0; font-variant-numeric: tabular-nums; }
.tile-note { color: var(--faint); font-size: 12px; }
.facts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 6px 24px; margin: 14px 0 0; }
.facts div { display: flex; gap: 10px; min-width: 0; }
.facts dt { color: var(--muted); flex: 0 0 170px; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.section-note { color: var(--muted); margin: -4px 0 10px; font-size: 13px; }
.empty-note { color: var(--muted); font-style: italic; }
.table-scroll { max-height: 420px; overflow: auto; border: 1px solid var(--line); border-radius: 8px; }
.table-scroll.wide { max-height: none; }
.data-table { border-collapse: collapse; width: 100%; font-size: 13px; }
#top-table { font-size: 12.5px; }
#top-table th, #top-table td { padding: 6px 5px; }
#top-table th.dim { white-space: normal; min-width: 48px; }
.data-table th { position: sticky; top: 0; background: #f7f8fb; text-align: left; font-weight: 600; color: var(--muted);
  padding: 7px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
.data-table td { padding: 6px 10px; border-bottom: 1px solid #f0f1f4; vertical-align: middle; }
.data-table tbody tr:hover { background: #f7f9fd; }
.data-table .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.data-table .message { color: var(--bad); max-width: 420px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.badge-success { background: #e3f3e9; color: var(--good); }
.badge-failure { background: #fde4e1; color: var(--bad); }
.badge-missing { background: #fff1d6; color: var(--warn); }
.chart-group { margin-bottom: 6px; }
.aggregation { color: var(--faint); font-weight: 400; font-size: 13px; margin-left: 6px; }
.chart-row { display: flex; flex-wrap: wrap; gap: 10px; }
.chart-card { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px 6px 4px; background: #fff; }
.chart-card.wide { flex: 1 1 calc(50% - 5px); max-width: calc(50% - 5px); }
.chart-card.wide svg.chart { width: 100%; height: auto; }
.chart-card figcaption { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px; margin: 0 4px 4px; }
.chart-title { font-weight: 600; font-size: 13px; }
.chart-subtitle { color: var(--faint); font-size: 12px; }
svg.chart { display: block; font-family: system-ui, "DejaVu Sans", Arial, sans-serif; overflow: visible; }
svg.chart .tick { font-size: 11px; fill: var(--muted); }
svg.chart .axis-title { font-size: 12px; fill: var(--ink); font-weight: 600; }
svg.chart .cell-label { font-size: 10.5px; text-anchor: middle; pointer-events: none;
  font-variant-numeric: tabular-nums; }
svg.chart rect.cell { stroke: none; }
svg.chart rect.cell:hover { stroke: #111; stroke-width: 1.5; }
svg.chart .grid { stroke: #eceef2; stroke-width: 1; }
svg.chart .baseline { stroke: #b9bec9; stroke-width: 1; }
svg.chart .band { fill-opacity: 0.18; stroke: none; }
svg.chart .band-bar { stroke-width: 1.5; stroke-opacity: 0.8; }
svg.chart .line { fill: none; stroke-width: 2; }
svg.chart circle.point { stroke: #fff; stroke-width: 1.5; }
svg.chart circle.point:hover { r: 5; }
svg.chart polyline.series { fill: none; stroke-width: 1.6; stroke-linejoin: round; }
svg.chart .cursor { stroke: #8a90a0; stroke-dasharray: 3 3; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 12px; margin: 0; padding: 0; font-size: 12px;
  color: var(--muted); }
.legend li { display: flex; align-items: center; gap: 5px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
#top-table th.component { text-align: left; }
#top-table th.group { text-align: center; border-bottom: 1px solid var(--line); position: static; }
#top-table thead tr:nth-child(2) th { top: 0; }
#top-table .weight { font-weight: 400; color: var(--faint); font-size: 11px; }
#top-table td.component { min-width: 56px; font-variant-numeric: tabular-nums; font-size: 12px; }
#top-table td.component span { color: var(--muted); }
#top-table td.score { font-weight: 700; color: var(--accent); }
#top-table th.mark, #top-table td.mark { text-align: center; }
#top-table td.mark { color: var(--accent); font-weight: 700; }
#top-table td.rank { color: var(--faint); }
#top-table td.dim { font-weight: 600; }
.bar-track { height: 6px; background: #eef0f4; border-radius: 3px; overflow: hidden; margin-bottom: 2px; }
.bar { height: 100%; border-radius: 3px; }
.bar-pos { background: #4e79a7; }
.bar-neg { background: #e15759; }
.tooltip { position: absolute; display: none; pointer-events: none; background: rgba(29, 34, 48, 0.94); color: #fff;
  padding: 7px 10px; border-radius: 6px; font-size: 12px; line-height: 1.5; z-index: 10; white-space: nowrap; }
.tooltip .swatch { width: 8px; height: 8px; }
footer { color: var(--faint); font-size: 12px; margin-top: 18px; text-align: center; }
@media (max-width: 900px) {
  .tiles { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .facts { grid-template-columns: 1fr; }
}
)css";

// Hover tooltips for the time series: finds the sample nearest to the pointer and lists every line's value there.
constexpr std::string_view kScript = R"js(
(function () {
  'use strict';
  var tip = document.createElement('div');
  tip.className = 'tooltip';
  document.body.appendChild(tip);
  var charts = document.querySelectorAll('svg.timeseries');
  Array.prototype.forEach.call(charts, function (svg) {
    var stamps = (svg.getAttribute('data-timestamps-ms') || '').split(' ').filter(Boolean).map(Number);
    var target = svg.querySelector('rect.hover-target');
    var cursor = svg.querySelector('line.cursor');
    if (stamps.length === 0 || !target || !cursor) return;
    var left = Number(svg.getAttribute('data-plot-left'));
    var width = Number(svg.getAttribute('data-plot-width'));
    var first = stamps[0], span = (stamps[stamps.length - 1] - first) || 1;
    var lines = Array.prototype.map.call(svg.querySelectorAll('polyline.series'), function (line) {
      return { label: line.getAttribute('data-label'), color: line.getAttribute('stroke'),
               values: line.getAttribute('data-values').split(' ').map(Number) };
    });
    target.addEventListener('mousemove', function (event) {
      var point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      var local = point.matrixTransform(svg.getScreenCTM().inverse());
      var t = first + (local.x - left) / width * span;
      var lo = 0, hi = stamps.length - 1;
      while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (stamps[mid] <= t) { lo = mid; } else { hi = mid; } }
      var i = (t - stamps[lo] <= stamps[hi] - t) ? lo : hi;
      var x = left + (stamps[i] - first) / span * width;
      cursor.setAttribute('x1', x);
      cursor.setAttribute('x2', x);
      cursor.setAttribute('visibility', 'visible');
      tip.textContent = '';
      var head = document.createElement('b');
      head.textContent = (stamps[i] / 60000).toFixed(1) + ' min';
      tip.appendChild(head);
      lines.forEach(function (line) {
        tip.appendChild(document.createElement('br'));
        var swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.style.background = line.color;
        tip.appendChild(swatch);
        tip.appendChild(document.createTextNode(line.label + ': ' + line.values[i]));
      });
      tip.style.display = 'block';
      tip.style.left = (event.pageX + 14) + 'px';
      tip.style.top = (event.pageY + 14) + 'px';
    });
    target.addEventListener('mouseleave', function () {
      tip.style.display = 'none';
      cursor.setAttribute('visibility', 'hidden');
    });
  });
})();
)js";

}  // namespace

std::string_view ReportStylesheet() { return kStylesheet; }
std::string_view ReportScript() { return kScript; }

}  // namespace ridesweep::analytics::report
