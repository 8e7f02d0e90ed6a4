// The host's call-outs on the start page. htmx asks the server every few seconds and redraws
// the list only when it changed; a call-out not seen before makes the phone vibrate and play a
// short double tone where the browser allows it (sound needs one tap on the page first).
// While the page is open and sharing is on, the phone's position goes to the dispatcher about
// every 45 seconds; switching it off is remembered on this phone and deletes what was sent.
(function () {
  "use strict";

  const panel = document.getElementById("dispatch-panel");
  if (!panel) return;
  const SHARE_KEY = "trygghet.dispatch.share-position";
  const SEND_EVERY_MS = 45000;
  const title = document.title;
  let audio = null;

  const taskIds = () => {
    const list = document.getElementById("dispatch-tasks");
    return list && list.dataset.taskIds ? list.dataset.taskIds.split(",").filter(Boolean) : [];
  };
  const seen = new Set(taskIds());

  function unlockSound() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audio = audio || new Context();
    if (audio.state === "suspended") audio.resume().catch(() => {});
  }

  function tone() {
    if (!audio || audio.state !== "running") return;
    const start = audio.currentTime;
    [[880, 0], [1175, 0.2]].forEach(([frequency, offset]) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.16);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.18);
    });
  }

  function announce() {
    // A call-out takes the top of the start page, above the quick log.
    panel.parentElement.prepend(panel);
    panel.scrollIntoView({ block: "start" });
    // Phones vibrate only for a page the host has touched; asking before that is refused.
    const touched = !navigator.userActivation || navigator.userActivation.hasBeenActive;
    if (navigator.vibrate && touched) navigator.vibrate([200, 100, 200]);
    tone();
    document.title = `(!) ${title}`;
  }

  document.addEventListener("pointerdown", () => {
    unlockSound();
    document.title = title;
  });

  document.body.addEventListener("htmx:afterSettle", () => {
    const fresh = taskIds().filter((id) => !seen.has(id));
    fresh.forEach((id) => seen.add(id));
    if (fresh.length) announce();
  });

  // --- The car's position for the dispatcher
  const sharing = document.getElementById("position-panel");
  const toggle = sharing.querySelector("[data-share-position]");
  const status = sharing.querySelector("[data-share-status]");
  const csrf = () => sharing.querySelector("input[name=csrfmiddlewaretoken]").value;
  const post = (url, body) =>
    fetch(url, { method: "POST", headers: { "X-CSRFToken": csrf() }, body, credentials: "same-origin" });

  function show(state) {
    status.textContent = status.dataset[`text${state}`] || "";
  }

  function send() {
    if (!toggle.checked || !navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const body = new FormData();
        body.append("latitude", position.coords.latitude.toFixed(6));
        body.append("longitude", position.coords.longitude.toFixed(6));
        body.append("accuracy", String(Math.round(position.coords.accuracy || 0)));
        post(sharing.dataset.positionUrl, body).catch(() => {});
        show("On");
      },
      (error) => { if (error.code === error.PERMISSION_DENIED) show("Denied"); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
    );
  }

  toggle.checked = localStorage.getItem(SHARE_KEY) !== "off";
  toggle.addEventListener("change", () => {
    localStorage.setItem(SHARE_KEY, toggle.checked ? "on" : "off");
    if (toggle.checked) {
      send();
    } else {
      post(sharing.dataset.positionOffUrl, new FormData()).catch(() => {});
    }
    show(toggle.checked ? "On" : "Off");
  });
  show(toggle.checked ? "On" : "Off");
  send();
  window.setInterval(send, SEND_EVERY_MS);
})();
