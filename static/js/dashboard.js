// The lägesbild: its map (incidents gathered per block, clustered, over the assigned areas) and
// its charts (uPlot), drawn from the figures the page embeds as JSON, and drawn again whenever
// htmx swaps in the figures of another period or area.
(function () {
  "use strict";

  document.documentElement.classList.add("lb-js");

  // Colours from the theme: a probe element resolves the light-dark() tokens to real colours.
  function colour(token) {
    const probe = document.createElement("span");
    probe.style.color = `var(${token})`;
    probe.hidden = true;
    document.body.append(probe);
    const value = getComputedStyle(probe).color;
    probe.remove();
    return value;
  }

  function withAlpha(rgb, alpha) {
    const parts = rgb.match(/[\d.]+/g) || [0, 0, 0];
    return `rgba(${parts[0]}, ${parts[1]}, ${parts[2]}, ${alpha})`;
  }

  const language = document.documentElement.lang || "sv";
  const shortDate = new Intl.DateTimeFormat(language, { day: "numeric", month: "short" });
  const weekdayDate = new Intl.DateTimeFormat(language, {
    weekday: "short", day: "numeric", month: "short",
  });

  function dates(labels) {
    return labels.map((label) => new Date(`${label}T12:00:00`));
  }

  // Drawn parts follow their card's width as the page reflows, and as it is laid out on paper.
  const fitters = new Set();
  window.addEventListener("beforeprint", () => fitters.forEach((fit) => fit()));

  // uPlot needs a width in pixels.
  function sized(element, height, make) {
    const width = () => Math.max(240, Math.floor(element.clientWidth));
    const plot = make(width());
    const fit = () => {
      if (!element.isConnected) return fitters.delete(fit);
      if (Math.abs(plot.width - width()) > 2) plot.setSize({ width: width(), height });
    };
    fitters.add(fit);
    new ResizeObserver(fit).observe(element);
    return plot;
  }

  // A night is named by its date, a week by its ISO number ("v. 47", from the server).
  function namer(days, ticks, format) {
    return (i) => (ticks && ticks[i]) || (days[i] ? format.format(days[i]) : "");
  }

  function axes(name, text, grid) {
    return [
      {
        stroke: text,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid },
        incrs: [1, 2, 3, 7, 14, 28],
        values: (u, splits) => splits.map(name),
      },
      { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] },
    ];
  }

  // A chart over the period's nights (or weeks): the x axis is the index of each, labelled
  // with its date, so the periods compared line up from their first nights.
  function chart(element, trend, texts, { height, series, data, scales = {} }) {
    const days = dates(trend.labels);
    const x = days.map((_day, index) => index);
    const palette = {
      now: colour("--primary"),
      before: withAlpha(colour("--text"), 0.55),
      lastYear: colour("--warning"),
      few: x.length <= 14,
    };
    return sized(element, height, (width) => new uPlot(
      {
        width,
        height,
        scales: { ...scales, x: { time: false, ...scales.x } },
        axes: axes(namer(days, trend.ticks, shortDate), colour("--muted"), colour("--border")),
        cursor: { drag: { x: false, y: false } },
        legend: { live: false },
        series: [
          { label: texts.when, value: (u, i) => (i == null ? "" : namer(days, trend.ticks, weekdayDate)(i)) },
          ...series(palette),
        ],
      },
      [x, ...data],
      element,
    ));
  }

  function trendChart(element, trend, texts) {
    return chart(element, trend, texts, {
      height: 260,
      data: trend.series,
      series: ({ now, before, lastYear, few }) => [
        { label: texts.series[0], stroke: now, width: 3, fill: withAlpha(now, 0.12), points: { show: few, size: 7 } },
        { label: texts.series[1], stroke: before, width: 2, dash: [6, 4], points: { show: few } },
        { label: texts.series[2], stroke: lastYear, width: 2, dash: [2, 4], points: { show: few } },
      ],
    });
  }

  function nightButtonChart(element, trend, texts) {
    const bars = uPlot.paths.bars({ size: [0.6, 40] });
    return chart(element, trend, texts, {
      height: 190,
      data: trend.night_button,
      scales: {
        x: { range: (u, min, max) => [min - 0.5, max + 0.5] },
        y: { range: (u, min, max) => [0, Math.max(2, max)] },
      },
      series: ({ now, before }) => [
        { label: texts.calls, stroke: now, fill: withAlpha(now, 0.6), paths: bars, points: { show: false } },
        { label: texts.callsBefore, stroke: before, width: 2, dash: [6, 4], points: { show: false } },
      ],
    });
  }

  function bubble(count, peak) {
    const level = Math.max(1, Math.min(5, Math.ceil((5 * Math.log1p(count)) / Math.log1p(peak || 1))));
    const size = Math.round(24 + 6 * Math.log10(count + 1) * 2);
    const label = document.createElement("span");
    label.textContent = count;
    return L.divIcon({
      html: label,
      className: `lb-bubble lb-bubble-${level}`,
      iconSize: [size, size],
    });
  }

  function incidentMap(element, data, texts) {
    const map = TrygghetMap.create(element, { scrollWheelZoom: false });
    const danger = colour("--danger");
    const primary = colour("--primary");
    const areas = L.geoJSON(data.areas, {
      style: (feature) => ({
        color: feature.properties.selected ? danger : primary,
        weight: feature.properties.selected ? 3 : 1.5,
        fillOpacity: feature.properties.selected ? 0.12 : 0.05,
      }),
      onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.name),
    }).addTo(map);
    const cells = data.cells;
    const peak = cells.reduce((most, cell) => Math.max(most, cell[2]), 0);
    const sum = (cluster) => cluster.getAllChildMarkers().reduce((total, m) => total + m.options.count, 0);
    const cluster = L.markerClusterGroup
      ? L.markerClusterGroup({
        maxClusterRadius: 45,
        showCoverageOnHover: false,
        iconCreateFunction: (group) => bubble(sum(group), peak),
      })
      : L.layerGroup();
    cells.forEach(([lat, lon, count]) => {
      const marker = L.marker([lat, lon], { icon: bubble(count, peak), count, keyboard: false });
      marker.bindTooltip(texts.cell.replace("{count}", count));
      cluster.addLayer(marker);
    });
    cluster.addTo(map);
    const bounds = cells.length
      ? L.latLngBounds(cells.map(([lat, lon]) => [lat, lon]))
      : areas.getLayers().length ? areas.getBounds() : null;
    const fit = () => {
      if (!element.isConnected) return fitters.delete(fit);
      map.invalidateSize();
      if (bounds) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16, animate: false });
    };
    fit();
    fitters.add(fit);
    return map;
  }

  function draw() {
    const source = document.getElementById("lb-data");
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const parts = [
      ["lb-trend", (element) => trendChart(element, data.trend, data.texts)],
      ["lb-night-button", (element) => nightButtonChart(element, data.trend, data.texts)],
      ["lb-map", (element) => incidentMap(element, data.map, data.texts)],
    ];
    parts.forEach(([id, make]) => {
      const element = document.getElementById(id);
      if (!element || element.dataset.drawn) return;
      element.dataset.drawn = "true";
      try {
        make(element);
      } catch (error) {
        console.warn(`${id} could not be drawn`, error);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
  // A bad choice answers 400 with the form and its message: show it, as a full page would.
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
