// The quick-log form: fill in the phone's position while the host looks at the form, and if
// Save is tapped before the position has come, wait a moment for it (never long).
(function () {
  "use strict";
  const form = document.querySelector("form[data-locate]");
  if (!form) return;
  const latitude = form.querySelector("input[name=latitude]");
  const longitude = form.querySelector("input[name=longitude]");
  const status = form.querySelector("[data-position-status]");
  const texts = JSON.parse(document.getElementById("locate-texts").textContent);
  const WAIT_MS = 3000;
  let pending = null;

  const show = (state, text) => {
    status.dataset.state = state;
    status.textContent = text;
  };

  if (!latitude.value && navigator.geolocation) {
    show("locating", texts.locating);
    pending = window.TrygghetMap.locate({ timeout: 10000 })
      .then((position) => {
        latitude.value = position.lat.toFixed(6);
        longitude.value = position.lon.toFixed(6);
        show("found", texts.found.replace("{accuracy}", Math.round(position.accuracy)));
      })
      .catch(() => show("none", texts.none))
      .finally(() => {
        pending = null;
      });
  }

  form.addEventListener("submit", (event) => {
    if (pending) {
      event.preventDefault();
      const timeout = new Promise((resolve) => setTimeout(resolve, WAIT_MS));
      Promise.race([pending, timeout]).then(() => {
        pending = null;
        form.requestSubmit();
      });
      return;
    }
    // One tap, one submission; a resend after a failure reuses the same client key anyway.
    const button = form.querySelector("button[type=submit]");
    if (button) setTimeout(() => { button.disabled = true; }, 0);
  });
})();
