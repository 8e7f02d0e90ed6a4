// Drawing an area's boundary with leaflet-geoman. The polygons drawn are kept, as GeoJSON, in
// the form's hidden `boundary` field: one polygon as a Polygon, several as a MultiPolygon. The
// server checks the result. Other areas show in grey (not editable) so areas do not overlap.
(function () {
  "use strict";

  const OTHERS = { color: "#78909c", weight: 1, fillOpacity: 0.15, dashArray: "4 4" };

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
