// The report form's map: tap where it is, or use the phone's location. Without JavaScript the
// form still works, with the place written in words.
(function () {
  "use strict";
  const element = document.querySelector("[data-report-map]");
  if (!element || !window.TrygghetMap) return;
  const form = element.closest("form");
  const lat = form.querySelector("input[name=latitude]");
  const lon = form.querySelector("input[name=longitude]");
  const tools = form.querySelector(".report-map-tools");
  const shown = form.querySelector("[data-report-position]");
  element.hidden = false;
  tools.hidden = false;
  const map = TrygghetMap.create(element);
  const picker = TrygghetMap.pickPoint(map, lat, lon);
  const describe = () => {
    shown.textContent = lat.value ? shown.dataset.marked : "";
  };
  map.on("click", describe);
  form.querySelector("[data-report-locate]").addEventListener("click", async () => {
    try {
      const position = await TrygghetMap.locate();
      const latlng = L.latLng(position.lat, position.lon);
      picker.place(latlng);
      map.setView(latlng, 16);
      describe();
    } catch (error) {
      shown.textContent = shown.dataset.denied;
    }
  });
  describe();
})();
