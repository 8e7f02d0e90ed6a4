// The weekly report form: "Add a row" as many times as needed, and a place on the map for a row.
// The page works without this file: it then has a fixed number of blank rows (more after each
// save) and rows by area only.
(function () {
  "use strict";

  const form = document.querySelector("[data-report-form]");
  if (!form) return;
  const rows = form.querySelector("[data-rows]");
  const template = form.querySelector("template[data-empty-row]");
  const total = form.querySelector('input[name$="-TOTAL_FORMS"]');
  const addButton = form.querySelector("[data-add-row]");
  const mapSection = form.querySelector("[data-map-section]");
  let picking = null;
  let mapReady = null;

  function addRow() {
    const index = Number(total.value);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const row = rows.lastElementChild;
    enable(row);
    row.querySelector("select, input:not([type=hidden])").focus();
  }

  function showMap() {
    if (!mapReady) {
      mapSection.hidden = false;
      const element = mapSection.querySelector("[data-report-map]");
      mapReady = TrygghetMap.whenNear(element).then(() => {
        const map = TrygghetMap.create(element);
        map.on("click", (event) => {
          if (!picking) return;
          picking.querySelector('input[name$="-latitude"]').value = event.latlng.lat.toFixed(6);
          picking.querySelector('input[name$="-longitude"]').value = event.latlng.lng.toFixed(6);
          picking.querySelector("[data-place-shown]").textContent = form.dataset.placeChosen;
          L.marker(event.latlng).addTo(map);
          picking.classList.remove("picking");
          picking = null;
        });
        return map;
      });
    }
    return mapReady;
  }

  function enable(row) {
    const pick = row.querySelector("[data-pick-place]");
    pick.hidden = false;
    pick.addEventListener("click", () => {
      if (picking) picking.classList.remove("picking");
      picking = row;
      row.classList.add("picking");
      showMap().then(() => mapSection.scrollIntoView({ behavior: "smooth", block: "center" }));
    });
    const remove = row.querySelector('input[name$="-DELETE"]');
    remove.addEventListener("change", () => row.classList.toggle("removed", remove.checked));
  }

  rows.querySelectorAll("[data-row]").forEach(enable);
  addButton.hidden = false;
  addButton.addEventListener("click", addRow);
})();
