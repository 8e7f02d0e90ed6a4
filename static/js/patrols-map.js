// Maps of areas on the patrols pages. <div data-patrols-map data-source="URL"> loads GeoJSON from
// the API; data-geojson="ID" reads it from a json_script element instead. Areas are coloured by
// their priority property (grey without one); areas no longer in use are dashed. With
// data-link="/…/0/" a popup links each area to that URL with its id in place of the 0.
(function () {
  "use strict";

  const NEUTRAL = "#607d8b";

  function style(feature) {
    const props = feature.properties || {};
    return {
      color: TrygghetMap.PRIORITY_COLOURS[props.priority] || NEUTRAL,
      weight: 2,
      fillOpacity: 0.25,
      dashArray: props.active === false ? "6 6" : null,
    };
  }

  function label(element) {
    return (feature, layer) => {
      const props = feature.properties || {};
      const link = element.dataset.link;
      const content = document.createElement(link ? "a" : "strong");
      content.textContent = props.name;
      if (link) content.href = link.replace(/\/0\/$/, `/${props.id}/`);
      layer.bindPopup(content);
    };
  }

  async function init(element) {
    if (element.dataset.ready) return;
    element.dataset.ready = "true";
    await TrygghetMap.whenNear(element);
    const map = TrygghetMap.create(element);
    element.trygghetMap = map;
    const source = element.dataset.source
      || JSON.parse(document.getElementById(element.dataset.geojson).textContent);
    try {
      await TrygghetMap.addGeoJSON(map, source, { style, onEachFeature: label(element) });
    } catch (error) {
      console.warn("areas could not be loaded", error);
    }
  }

  function initAll(root) {
    root.querySelectorAll("[data-patrols-map]").forEach(init);
  }

  document.addEventListener("DOMContentLoaded", () => initAll(document));
  document.addEventListener("htmx:load", (event) => initAll(event.detail.elt));
})();
