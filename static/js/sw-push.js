// Call-outs and residents' reports as notifications. The payload names no person: it carries a
// title, a short text and the page to open, whose details load after sign-in.
self.addEventListener("push", (event) => {
  const message = event.data ? event.data.json() : {};
  event.waitUntil(
    self.registration.showNotification(message.title || "Trygghet", {
      body: message.body || "",
      data: { url: message.url || "/start/" },
      tag: message.tag,
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
