// The chief's list: the filtered incidents on a map, clustered, each linking to its page.
(function () {
  "use strict";
  // The filters are folded on a phone and open beside the list on a desk.
  const filters = document.querySelector("details[data-open-on-desk]");
  if (filters && window.matchMedia("(min-width: 64rem)").matches) filters.open = true;

  const element = document.getElementById("incident-map");
  if (!element || !window.TrygghetMap) return;
  const texts = JSON.parse(document.getElementById("map-texts").textContent);
  const map = window.TrygghetMap.create(element);
  const cluster = window.L.markerClusterGroup
    ? window.L.markerClusterGroup({ maxClusterRadius: 40 })
    : window.L.layerGroup();
  cluster.addTo(map);
  const detail = (id) => element.dataset.detailUrl.replace(/0\/$/, `${id}/`);
  const note = document.getElementById("incident-map-note");
  const say = (text, alert) => {
    note.textContent = text;
    note.hidden = false;
    if (alert) note.setAttribute("role", "alert");
  };

  fetch(element.dataset.url, { headers: { Accept: "application/geo+json" } })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((data) => {
      const layer = window.L.geoJSON(data, {
        pointToLayer: (feature, latlng) => window.L.circleMarker(latlng, {
          radius: 7, weight: 2, color: feature.properties.colour,
          fillColor: feature.properties.colour, fillOpacity: 0.75,
        }),
        onEachFeature: (feature, marker) => {
          const p = feature.properties;
          const box = document.createElement("div");
          const title = document.createElement("strong");
          title.textContent = p.category;
          const when = document.createElement("div");
          when.textContent = p.occurred_at;
          const link = document.createElement("a");
          link.href = detail(p.id);
          link.textContent = texts.open;
          box.append(title, when, link);
          marker.bindPopup(box);
        },
      });
      cluster.addLayer(layer);
      if (data.truncated) {
        const count = Number(data.limit).toLocaleString(document.documentElement.lang);
        say(texts.more.replace("{count}", count), false);
      }
      if (layer.getLayers().length) {
        map.fitBounds(layer.getBounds(), { padding: [16, 16], maxZoom: 16 });
      }
    })
    .catch(() => say(texts.failed, true));
})();
