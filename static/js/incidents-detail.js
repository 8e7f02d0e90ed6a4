// Calling for help from an incident: the tap on a tel: link records the call and lets the
// phone dial. The record goes with navigator.sendBeacon, which the browser delivers even while
// the dialler takes over; fetch with keepalive is the fallback. The link's client key makes a
// second tap, or a beacon and its fallback both arriving, one record.
(function () {
  "use strict";

  function record(link) {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    const data = new FormData();
    if (token) data.append("csrfmiddlewaretoken", token.value);
    data.append("service_number", link.dataset.serviceNumber);
    data.append("client_key", link.dataset.clientKey);
    let queued = false;
    try {
      queued = typeof navigator.sendBeacon === "function" &&
        navigator.sendBeacon(link.dataset.escalationUrl, data);
    } catch (error) {
      queued = false;
    }
    if (!queued) {
      fetch(link.dataset.escalationUrl, {
        method: "POST", body: data, keepalive: true, credentials: "same-origin",
      }).catch(() => {});
    }
  }

  function refresh(url) {
    if (window.htmx && document.getElementById("escalations")) {
      window.htmx.ajax("GET", url, { target: "#escalations", swap: "outerHTML" });
    }
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-escalation-url]");
    if (!link) return;
    record(link);
    // Show the recorded call when the host is back from the dialler.
    const url = link.dataset.refreshUrl;
    setTimeout(() => refresh(url), 1500);
    document.addEventListener("visibilitychange", function back() {
      if (document.visibilityState === "visible") {
        document.removeEventListener("visibilitychange", back);
        refresh(url);
      }
    });
  });

  // A small map with the incident's position, drawn when it comes near the screen.
  const element = document.getElementById("incident-position");
  if (element && window.TrygghetMap) {
    window.TrygghetMap.whenNear(element).then(() => drawPosition(element));
  }

  function drawPosition(element) {
    const map = window.TrygghetMap.create(element);
    const latlng = [Number(element.dataset.lat), Number(element.dataset.lon)];
    window.L.circleMarker(latlng, {
      radius: 10, color: element.dataset.colour, fillColor: element.dataset.colour, fillOpacity: 0.7,
    }).addTo(map);
    map.setView(latlng, 16);
  }
})();
