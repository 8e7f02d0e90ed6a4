// The host's pages without a network. A new worker takes over at once, so a release reaches
// the phones on their next page load instead of after every tab has been closed.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
