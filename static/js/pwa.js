// Installs the service worker on a host's phone. The pages work the same without it.
if ("serviceWorker" in navigator) {
  const script = document.currentScript.dataset.serviceWorker;
  window.addEventListener("load", () => navigator.serviceWorker.register(script, { scope: "/" }));
}
