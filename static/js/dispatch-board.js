// The dispatcher's board: open call-outs and the cars' last known positions on a map. htmx
// redraws the board's live part when something changes; the map keeps the dispatcher's view and
// only its markers are replaced, so a long night grows neither the page nor its memory.
(function () {
  "use strict";

  const element = document.getElementById("dispatch-map");
  if (!element || !window.TrygghetMap) return;
  const L = window.L;
  const map = window.TrygghetMap.create(element);
  const markers = L.layerGroup().addTo(map);
  let fitted = false;

  function requestMarker(feature, latlng) {
    const p = feature.properties;
    const colour = window.TrygghetMap.PRIORITY_COLOURS[p.priority] || "#607d8b";
    const marker = L.circleMarker(latlng, {
      radius: 9, weight: 3, color: colour, fillColor: colour, fillOpacity: 0.55,
    });
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.label;
    const state = document.createElement("div");
    state.textContent = p.state;
    box.append(link, state);
    return marker.bindPopup(box);
  }

  function carMarker(feature, latlng) {
    const p = feature.properties;
    const icon = L.divIcon({
      className: `dispatch-car-icon${p.busy ? " is-busy" : ""}`, iconSize: [18, 18],
    });
    return L.marker(latlng, { icon, keyboard: false, title: p.label })
      .bindTooltip(p.label, {
        permanent: true, direction: "right", offset: [12, 0], className: "dispatch-car-label",
      });
  }

  function draw() {
    const source = document.getElementById("board-map-data");
    if (!source) return;
    const data = JSON.parse(source.textContent);
    markers.clearLayers();
    const points = [];
    for (const feature of data.features) {
      const [lon, lat] = feature.geometry.coordinates;
      const latlng = L.latLng(lat, lon);
      const make = feature.properties.kind === "car" ? carMarker : requestMarker;
      markers.addLayer(make(feature, latlng));
      points.push(latlng);
    }
    // Fit once: after that the dispatcher's own panning and zooming is left alone.
    if (!fitted && points.length) {
      // More room on the right, where the cars' names stand.
      map.fitBounds(L.latLngBounds(points), {
        paddingTopLeft: [32, 32], paddingBottomRight: [120, 32], maxZoom: 15,
      });
      fitted = true;
    }
  }

  draw();
  document.body.addEventListener("htmx:afterSettle", draw);
})();
