// The start page's switch for notifications on this phone. Tapping it asks the browser for
// permission, subscribes with the server's key and hands the subscription to the server; the
// page works without it (the call-out list refreshes itself while it is open).
(() => {
  const box = document.querySelector("[data-push]");
  if (!box) return;
  const on = box.querySelector("[data-push-on]");
  const off = box.querySelector("[data-push-off]");
  const status = box.querySelector("[data-push-status]");
  const show = (subscribed, message = "") => {
    on.hidden = subscribed;
    off.hidden = !subscribed;
    status.textContent = message;
    box.hidden = false;
  };
  if (!("serviceWorker" in navigator && "PushManager" in window && "Notification" in window)) {
    on.hidden = true;
    status.textContent = box.dataset.unsupported;
    box.hidden = false;
    return;
  }
  const base64 = box.dataset.key.replace(/-/g, "+").replace(/_/g, "/");
  const key = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

  // Posts the subscription's fields with the form's CSRF token; the server's refusal is its text.
  const send = (form, subscription) => {
    const json = subscription.toJSON();
    const data = new FormData(form);
    data.set("endpoint", json.endpoint);
    if (form === on) {
      data.set("p256dh", json.keys.p256dh);
      data.set("auth", json.keys.auth);
    }
    return fetch(form.action, { method: "POST", body: data, credentials: "same-origin" }).then((response) => {
      // Unsubscribing what the server no longer has (signed out since) is done all the same.
      if (response.ok || (form === off && response.status === 404)) return response;
      return response.text().then((text) => Promise.reject(new Error(text)));
    });
  };
  const fail = (error) => show(false, error.message);

  // A subscription the browser still has is handed over again: this session may be new (signing
  // out removed the server's copy) or the push service may have renewed the endpoint.
  navigator.serviceWorker.ready
    .then((registration) => registration.pushManager.getSubscription())
    .then((subscription) => {
      if (subscription && Notification.permission === "granted") {
        return send(on, subscription).then(() => show(true));
      }
      return show(false, Notification.permission === "denied" ? box.dataset.blocked : "");
    })
    .catch(fail);

  on.addEventListener("submit", (event) => {
    event.preventDefault();
    Notification.requestPermission()
      .then((permission) => {
        if (permission !== "granted") throw new Error(box.dataset.blocked);
        return navigator.serviceWorker.ready;
      })
      .then((registration) =>
        registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }),
      )
      .then((subscription) => send(on, subscription))
      .then(() => show(true))
      .catch(fail);
  });

  off.addEventListener("submit", (event) => {
    event.preventDefault();
    navigator.serviceWorker.ready
      .then((registration) => registration.pushManager.getSubscription())
      .then((subscription) =>
        subscription ? send(off, subscription).then(() => subscription.unsubscribe()) : null,
      )
      .then(() => show(false))
      .catch(fail);
  });
})();
