// Properties: the round's map and "nearest first", the check form, and the register's maps.
// Every page works without this file; it only adds maps and saves taps.
(function () {
  "use strict";

  const json = (id) => {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  };

  function marker(lat, lon, colour) {
    return L.circleMarker([lat, lon], {
      radius: 9, weight: 2, color: "#ffffff", fillColor: colour, fillOpacity: 0.95,
    });
  }

  function link(url, text) {
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.textContent = text;
    return anchor;
  }

  // Tonight's round: due buildings coloured by priority, checked ones in green.
  async function roundMap(element) {
    const points = json("round-points") || [];
    await TrygghetMap.whenNear(element);
    const map = TrygghetMap.create(element);
    const layer = L.featureGroup().addTo(map);
    for (const point of points) {
      const colour = point.done ? "#2e7d32" : TrygghetMap.PRIORITY_COLOURS[point.priority];
      marker(point.latitude, point.longitude, colour)
        .bindPopup(link(point.url, point.name))
        .addTo(layer);
    }
    if (points.length) {
      map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 16, animate: false });
    }
  }

  function sortByDistance(button) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const position = await TrygghetMap.locate();
        const url = new URL(window.location.href);
        url.searchParams.set("lat", position.lat.toFixed(5));
        url.searchParams.set("lon", position.lon.toFixed(5));
        window.location.assign(url);
      } catch {
        button.disabled = false;
        button.textContent = button.dataset.failed;
      }
    });
  }

  // A check: the deviation fields show once something is marked not in order, and then the
  // "all in order" button is off, so one mistaken tap cannot drop the deviation.
  function checkForm(form) {
    const fields = form.querySelector("[data-deviation-fields]");
    const allOk = form.querySelector("[data-all-ok]");
    const hint = form.querySelector("[data-all-ok-hint]");
    const update = () => {
      const failing = form.querySelector('input[type="radio"][value="fail"]:checked') !== null;
      const hasErrors = fields.querySelector(".errorlist") !== null;
      fields.hidden = !failing && !hasErrors;
      allOk.disabled = failing;
      hint.hidden = failing;
    };
    form.addEventListener("change", update);
    update();
  }

  // The register: every building from the API's GeoJSON, linked to its page.
  function registerMap(element) {
    const map = TrygghetMap.create(element);
    let source = element.dataset.source;
    if (element.dataset.department) source += `&department=${element.dataset.department}`;
    TrygghetMap.addGeoJSON(map, source, {
      pointToLayer: (feature, latlng) =>
        marker(latlng.lat, latlng.lng, TrygghetMap.PRIORITY_COLOURS[feature.properties.priority]),
      onEachFeature: (feature, layer) =>
        layer.bindPopup(link(feature.properties.url, feature.properties.name)),
    }).catch(() => {});
  }

  function pointMap(element) {
    const map = TrygghetMap.create(element);
    // Decimals arrive as JSON strings ("59.618000").
    const lat = Number(json("property-latitude"));
    const lon = Number(json("property-longitude"));
    L.marker([lat, lon]).addTo(map);
    map.setView([lat, lon], 16);
  }

  function pickMap(element) {
    const map = TrygghetMap.create(element);
    TrygghetMap.pickPoint(map, document.getElementById("id_latitude"), document.getElementById("id_longitude"));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-round-map]").forEach(roundMap);
    document.querySelectorAll("[data-sort-by-distance]").forEach(sortByDistance);
    document.querySelectorAll("[data-check-form]").forEach(checkForm);
    document.querySelectorAll("[data-register-map]").forEach(registerMap);
    document.querySelectorAll("[data-point-map]").forEach(pointMap);
    document.querySelectorAll("[data-pick-map]").forEach(pickMap);
  });
})();
