// Call-outs and residents' reports as notifications, with the phone locked and no Trygghet page
// open. The payload names no person: a title, a short text and the page to open, whose details
// load after sign-in. Notifications with the same tag (one call-out) replace each other and ring
// again, and stay until the host taps them.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = {};
  }
  // Only a page of this site is opened, whatever the payload says.
  const start = new URL("/start/", self.location.origin);
  const url = new URL(message.url || start, self.location.origin);
  const page = url.origin === self.location.origin ? url.href : start.href;
  event.waitUntil(
    self.registration.showNotification(message.title || "Trygghet", {
      body: message.body || "",
      data: { url: page },
      tag: message.tag || "",
      renotify: Boolean(message.tag),
      requireInteraction: true,
      lang: "sv",
    }),
  );
});

// A tap brings the Trygghet window the host already has to the front, on the task; without one
// it opens a new window there.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = event.notification.data.url;
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then((windows) => {
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (!open) return self.clients.openWindow(url);
      return open
        .focus()
        .then((client) => (client || open).navigate(url))
        .catch(() => self.clients.openWindow(url));
    }),
  );
});
