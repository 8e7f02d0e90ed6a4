// Drawing an area's boundary with leaflet-geoman. The polygons drawn are kept, as GeoJSON, in
// the form's hidden `boundary` field: one polygon as a Polygon, several as a MultiPolygon. The
// server checks the result. Other areas show in grey (not editable) so areas do not overlap.
(function () {
  "use strict";

  const OTHERS = { color: "#78909c", weight: 1, fillOpacity: 0.15, dashArray: "4 4" };
  // Where the drawn area covers another (computed by the server), and the boundary as it was
  // on the date the chief asked for: both shown, neither editable.
  const OVERLAP = { color: "#c62828", weight: 2, fillColor: "#e53935", fillOpacity: 0.45 };
  const THEN = { color: "#e65100", weight: 3, fillOpacity: 0.05, dashArray: "8 6" };

  function readJSON(id) {
    const element = document.getElementById(id);
    return element ? parse(element.textContent) : null;
  }

  function showReadOnly(map, data, style) {
    if (!data) return null;
    const layer = L.geoJSON(data, { pmIgnore: true, interactive: false, style: () => style });
    return layer.addTo(map);
  }

  function parse(text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch (error) {
      return null;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const element = document.querySelector("[data-area-editor]");
    if (!element) return;
    const input = element.closest("main").querySelector("input[name=boundary]");
    const map = TrygghetMap.create(element);
    map.pm.setLang(document.documentElement.lang === "sv" ? "sv" : "en");
    map.pm.addControls({
      position: "topleft",
      drawMarker: false,
      drawCircleMarker: false,
      drawPolyline: false,
      drawCircle: false,
      drawText: false,
      cutPolygon: false,
      rotateMode: false,
    });
    const drawn = L.featureGroup().addTo(map);

    function write() {
      const polygons = [];
      drawn.eachLayer((layer) => {
        const geometry = layer.toGeoJSON().geometry;
        if (geometry.type === "Polygon") polygons.push(geometry.coordinates);
        if (geometry.type === "MultiPolygon") polygons.push(...geometry.coordinates);
      });
      if (!polygons.length) input.value = "";
      else if (polygons.length === 1) {
        input.value = JSON.stringify({ type: "Polygon", coordinates: polygons[0] });
      } else input.value = JSON.stringify({ type: "MultiPolygon", coordinates: polygons });
    }

    function keep(layer) {
      drawn.addLayer(layer);
      layer.on("pm:edit pm:dragend", write);
    }

    const existing = parse(input.value);
    if (existing) {
      L.geoJSON(existing).eachLayer(keep);
      map.fitBounds(drawn.getBounds(), { padding: [24, 24], maxZoom: 17 });
    }
    map.on("pm:create", (event) => {
      keep(event.layer);
      write();
    });
    map.on("pm:remove", (event) => {
      drawn.removeLayer(event.layer);
      write();
    });

    const overlaps = readJSON("area-overlaps");
    if (overlaps && overlaps.features && overlaps.features.length) {
      showReadOnly(map, overlaps, OVERLAP);
    }
    const then = showReadOnly(map, readJSON("area-then"), THEN);
    if (then) {
      const box = then.getBounds();
      if (drawn.getLayers().length) box.extend(drawn.getBounds());
      map.fitBounds(box, { padding: [24, 24], maxZoom: 17 });
    }

    const exclude = element.dataset.exclude;
    TrygghetMap.addGeoJSON(map, element.dataset.others, {
      pmIgnore: true,
      interactive: false,
      style: () => OTHERS,
      filter: (feature) => String(feature.id) !== exclude,
      fit: !existing,
    }).catch((error) => console.warn("other areas could not be loaded", error));
  });
})();
