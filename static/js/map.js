// Shared Leaflet set-up for every map in the app (areas, incidents, properties, dispatch).
// A page includes templates/_map_assets.html in its head block and marks a map with
//   <div class="map" data-map ...></div>
// then its own script calls TrygghetMap.create(element) (after TrygghetMap.whenNear(element) on
// pages that include the assets with lazy=True). Tiles come from the configured server;
// when it cannot be reached the map still shows and works on a plain background, with its scale.
(function () {
  "use strict";

  const config = () => JSON.parse(document.getElementById("map-config").textContent);

  const PRIORITY_COLOURS = { 1: "#c62828", 2: "#ef6c00", 3: "#1565c0" };

  function create(element, options = {}) {
    const settings = config();
    const map = L.map(element, { zoomControl: true, ...options }).setView(
      settings.center,
      settings.zoom,
    );
    L.tileLayer(settings.tiles, { attribution: settings.attribution, maxZoom: settings.maxZoom })
      .addTo(map);
    // Distances can be read with no tiles behind the map too.
    L.control.scale({ imperial: false }).addTo(map);
    return map;
  }

  // Load GeoJSON from an API URL (or use an object) and add it; returns a promise of the layer.
  async function addGeoJSON(map, source, options = {}) {
    let data = source;
    if (typeof source === "string") {
      const response = await fetch(source, { headers: { Accept: "application/geo+json" } });
      if (!response.ok) throw new Error(`${source}: ${response.status}`);
      data = await response.json();
    }
    const layer = L.geoJSON(data, options).addTo(map);
    if (options.fit !== false && layer.getLayers().length) {
      map.fitBounds(layer.getBounds(), { padding: [16, 16], maxZoom: 16 });
    }
    return layer;
  }

  // Tap the map to choose a point; keeps a marker and the two inputs in step.
  function pickPoint(map, latInput, lonInput) {
    let marker = null;
    const place = (latlng) => {
      if (marker) marker.setLatLng(latlng);
      else marker = L.marker(latlng).addTo(map);
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
    };
    if (latInput.value && lonInput.value) {
      const latlng = L.latLng(Number(latInput.value), Number(lonInput.value));
      place(latlng);
      map.setView(latlng, Math.max(map.getZoom(), 15));
    }
    map.on("click", (event) => place(event.latlng));
    return { place };
  }

  // The phone's position, when the browser has it and the user allows it.
  function locate({ timeout = 10000 } = {}) {
    return new Promise((resolve, reject) => {
      if (!navigator.geolocation) return reject(new Error("no geolocation"));
      navigator.geolocation.getCurrentPosition(
        (position) => resolve({
          lat: position.coords.latitude,
          lon: position.coords.longitude,
          accuracy: position.coords.accuracy,
        }),
        reject,
        { enableHighAccuracy: true, timeout, maximumAge: 60000 },
      );
    });
  }

  // On the host's phone pages Leaflet (about half of the page's weight) is not in the first
  // load: it is fetched when a map comes near the screen, so the quick log is usable sooner on a
  // weak link. Where the page includes Leaflet itself, this resolves at once.
  const lazy = document.currentScript ? document.currentScript.dataset : {};
  let leaflet = null;

  function loadLeaflet() {
    if (!leaflet) {
      leaflet = new Promise((resolve, reject) => {
        const css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = lazy.leafletCss;
        const script = document.createElement("script");
        script.src = lazy.leafletJs;
        script.onload = resolve;
        script.onerror = () => reject(new Error(`${lazy.leafletJs} could not be loaded`));
        document.head.append(css, script);
      });
    }
    return leaflet;
  }

  function whenNear(element) {
    if (window.L) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const observer = new IntersectionObserver((entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        loadLeaflet().then(resolve, reject);
      }, { rootMargin: "100px" });
      observer.observe(element);
    });
  }

  window.TrygghetMap = { create, addGeoJSON, pickPoint, locate, whenNear, PRIORITY_COLOURS };
})();
