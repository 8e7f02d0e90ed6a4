// The host's "Which area am I in?": the phone gives its position, the server says which area
// it falls in and offers a one-tap arrival there. Without a position the server says so too, so
// every text comes translated from the page.
(function () {
  "use strict";

  let marker = null;

  function showOnMap(position) {
    const element = document.querySelector("[data-locate-marker]");
    const map = element && element.trygghetMap;
    if (!map) return;
    const latlng = [position.lat, position.lon];
    if (marker) marker.setLatLng(latlng);
    else marker = L.circleMarker(latlng, { radius: 8, color: "#ffbf47", fillOpacity: 0.9 }).addTo(map);
    map.setView(latlng, Math.max(map.getZoom(), 15));
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-locate]");
    if (!button) return;
    const target = document.querySelector(button.dataset.target);
    let url = button.dataset.url;
    button.disabled = true;
    try {
      const position = await TrygghetMap.locate();
      url += `?lat=${encodeURIComponent(position.lat)}&lon=${encodeURIComponent(position.lon)}`;
      showOnMap(position);
    } catch (error) {
      // No position (refused, no signal): the plain URL answers with a message.
    }
    try {
      await htmx.ajax("GET", url, { target, swap: "innerHTML" });
    } finally {
      button.disabled = false;
    }
  });
})();
