/**
 * The page's own script, run after the chart library: it reads the chart specs (charts.ts) from
 * the JSON block and draws them. It only ever sets text through the chart library's textContent,
 * never markup. Plain ES2017 so any current browser runs it as written.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var block = document.getElementById('reprise-data');
  if (!block || typeof uPlot !== 'function') return;
  var data = JSON.parse(block.textContent);
  var drawn = [];

  function unitValue(unit, v) {
    if (v == null) return '–';
    if (v === 0) return '0';
    if (unit === 'ms') return v >= 1000 ? (v / 1000).toFixed(2) + ' s' : (v >= 10 ? v.toFixed(0) : v.toFixed(1)) + ' ms';
    if (unit === '/s') return (v >= 100 ? v.toFixed(0) : +v.toFixed(1)) + '/s';
    return String(+v.toFixed(1));
  }

  function options(spec, width) {
    return {
      width: width,
      height: 240,
      scales: { x: { time: false } },
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
      axes: [
        { label: 'seconds since start', values: function (u, ticks) { return ticks.map(function (t) { return t + 's'; }); } },
        { size: 64, values: function (u, ticks) { return ticks.map(function (t) { return unitValue(spec.unit, t); }); } }
      ],
      series: [{ label: 't', value: function (u, v) { return v == null ? '–' : v + 's'; } }].concat(spec.series.map(function (s) {
        return {
          label: s.label,
          stroke: s.color,
          width: 2,
          dash: s.dash ? [6, 4] : undefined,
          spanGaps: false,
          value: function (u, v) { return unitValue(spec.unit, v); }
        };
      }))
    };
  }

  function widthOf(host) {
    return Math.max(280, host.clientWidth || 600);
  }

  data.charts.forEach(function (spec) {
    var host = document.getElementById(spec.id);
    if (!host) return;
    var columns = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
    drawn.push({ host: host, plot: new uPlot(options(spec, widthOf(host)), columns, host) });
  });

  var pending = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      drawn.forEach(function (d) { d.plot.setSize({ width: widthOf(d.host), height: 240 }); });
    });
  });
  document.documentElement.setAttribute('data-charts', String(drawn.length));
})();
`;
