// Evaluated in the report page by the tests (Runtime.evaluate): everything the tests compare, read from the DOM.
(() => {
  const data = (el) => (el ? Object.assign({}, el.dataset) : null);
  const box = (el) => { const r = el.getBoundingClientRect(); return { width: r.width, height: r.height }; };
  const cells = (svg, selector) => Array.from(svg.querySelectorAll(selector)).map((c) => Object.assign(
    { empty: c.classList.contains('empty'), fill: c.getAttribute('fill') }, c.dataset));
  return {
    title: document.title,
    state: data(document.querySelector('#report-state')),
    bannerText: (document.querySelector('#report-state') || {}).textContent || '',
    header: data(document.querySelector('#run-header')),
    sections: Array.from(document.querySelectorAll('section')).map((s) => s.id),
    shards: Array.from(document.querySelectorAll('#shard-table tr.shard-row')).map((row) => Object.assign(
      { cells: Array.from(row.cells).map((c) => c.textContent) }, row.dataset)),
    heatmaps: Array.from(document.querySelectorAll('svg.heatmap')).map((svg) => Object.assign(
      { box: box(svg), cells: cells(svg, 'rect.cell'), texts: svg.querySelectorAll('text').length,
        labels: Array.from(svg.querySelectorAll('text.cell-label')).map((t) => t.textContent) }, svg.dataset)),
    lines: Array.from(document.querySelectorAll('svg.line-band')).map((svg) => Object.assign(
      { box: box(svg), points: cells(svg, 'circle.point'), hasLine: !!svg.querySelector('polyline.line'),
        hasBand: !!svg.querySelector('polygon.band'), bars: svg.querySelectorAll('g.band-bar').length },
      svg.dataset)),
    pairGroups: Array.from(document.querySelectorAll('#dimension-pairs .chart-group')).map((g) => data(g)),
    pairsRule: data(document.querySelector('#pairs-rule')),
    bandLegend: (document.querySelector('#band-legend') || {}).textContent || '',
    noise: Array.from(document.querySelectorAll('#noise .noise-metric')).map((n) => data(n)),
    noiseText: (document.querySelector('#noise') || {}).textContent || '',
    headerText: (document.querySelector('#run-header') || {}).textContent || '',
    configs: Array.from(document.querySelectorAll('#top-table tr.config-row')).map((row) => Object.assign(
      { components: Array.from(row.querySelectorAll('td.component')).map((td) => Object.assign({}, td.dataset)),
        cells: Array.from(row.querySelectorAll('td')).map((td) => td.textContent) },
      row.dataset)),
    timeseriesPoint: (document.querySelector('#point-timeseries') || { dataset: {} }).dataset.pointIndex || null,
    series: Array.from(document.querySelectorAll('svg.timeseries')).map((svg) => ({
      box: box(svg),
      timestamps: (svg.dataset.timestampsMs || '').split(' ').filter(Boolean).map(Number),
      lines: Array.from(svg.querySelectorAll('polyline.series')).map((p) => ({
        column: p.dataset.column, values: p.dataset.values.split(' ').map(Number),
        drawn: p.getAttribute('points').split(' ').length })),
    })),
    externalElements: document.querySelectorAll('link, img, iframe, script[src], object, embed').length,
  };
})()
