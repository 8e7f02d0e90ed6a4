// The small maps of dispatch: the call-out's place on its page, and the point picked for a new
// call-out. The pages work without them (the place text and the property's position).
(function () {
  "use strict";

  if (!window.TrygghetMap) return;

  // The call-out's place: on the host's phone Leaflet comes when the map comes near the screen.
  const place = document.getElementById("dispatch-place");
  if (place) window.TrygghetMap.whenNear(place).then(() => drawPlace(place));

  function drawPlace(place) {
    const L = window.L;
    const map = window.TrygghetMap.create(place);
    const latlng = L.latLng(Number(place.dataset.lat), Number(place.dataset.lon));
    const colour = window.TrygghetMap.PRIORITY_COLOURS[place.dataset.priority] || "#607d8b";
    L.circleMarker(latlng, { radius: 10, weight: 3, color: colour, fillColor: colour, fillOpacity: 0.6 })
      .addTo(map);
    map.setView(latlng, 16);
  }

  const pick = document.getElementById("dispatch-pick");
  if (pick) {
    const map = window.TrygghetMap.create(pick);
    window.TrygghetMap.pickPoint(
      map,
      document.getElementById(pick.dataset.latInput),
      document.getElementById(pick.dataset.lonInput),
    );
  }
})();
