// The host's pages without a network, and the outbox that keeps what a host saves there.
//
// Pages: a host's own pages (below) are fetched from the network first and kept in a cache; with
// no network the kept copy is shown, stamped with when it was fetched (the page says "Offline —
// saved 22:14"). No other page, no API answer and no photo is ever kept.
//
// Outbox: a host submission made offline (the page hands it over) or whose request fails on the
// way (caught here) is kept in IndexedDB, photos as blobs, with its client key and the moment
// Save was pressed; it is sent in order when the network is back. The server makes a resend with
// the same key a no-op, so sending again is always safe. What the server refuses stays, with its
// reason, until the host fixes or discards it. Signing out empties both.
const CACHE = "trygghet-pages";
const HOST_PAGES = [
  /^\/start\/$/,
  /^\/incidents\/new\/$/,
  /^\/incidents\/\d+\/calls-for-help\/new\/$/,
  /^\/citizen-contacts\/new\/$/,
  /^\/night-button\/$/,
  /^\/properties\/round\/$/,
  /^\/properties\/\d+\/check\/$/,
  /^\/dispatch\/my-tasks\/$/,
  /^\/patrols\/my-shifts\/$/,
];
// Each host submission: what it is (the page names it), and where the host goes once it waits.
const SUBMISSIONS = [
  [/^\/incidents\/new\/$/, "observation", "/start/"],
  [/^\/incidents\/\d+\/calls-for-help\/new\/$/, "escalation", "/start/"],
  [/^\/citizen-contacts\/new\/$/, "contact", "/start/"],
  [/^\/night-button\/start\/$/, "night_start", ""],
  [/^\/night-button\/\d+\/end\/$/, "night_end", ""],
  [/^\/patrols\/visits\/arrive\/$/, "arrive", ""],
  [/^\/patrols\/visits\/\d+\/leave\/$/, "leave", ""],
  [/^\/patrols\/visits\/\d+\/dialogue\/$/, "dialogue", ""],
  [/^\/properties\/\d+\/check\/$/, "check", "/properties/round/"],
  [/^\/dispatch\/\d+\/step\/$/, "step", ""],
];
const SAVED_MARK = 'data-offline-saved=""';
// A hashed static name (the production storage's) never changes: the kept copy is good.
const HASHED = /\.[0-9a-f]{12}\.\w+$/;

// A new worker takes over at once, so a release reaches the phones on their next page load
// instead of after every tab has been closed.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

const sameOrigin = (url) => new URL(url, self.location).origin === self.location.origin;
const hostPage = (url) => sameOrigin(url) && HOST_PAGES.some((p) => p.test(new URL(url).pathname));
const staticFile = (url) => sameOrigin(url) && new URL(url).pathname.startsWith("/static/");
const submission = (url) =>
  sameOrigin(url) && SUBMISSIONS.find(([p]) => p.test(new URL(url, self.location).pathname));

// --- The pages

// Kept: a page the server sent whole (not a redirect to the sign-in page, not an error), and
// the scripts and styles it needs, so it works when it is opened offline.
async function keep(url, response) {
  if (!response.ok || response.redirected || response.type !== "basic") return;
  const cache = await caches.open(CACHE);
  // Without the answer's Vary (Cookie), so the copy is found for a request made without one.
  const headers = { "Content-Type": response.headers.get("Content-Type") };
  if (staticFile(url)) return cache.put(url, new Response(await response.blob(), { headers }));
  // Stamped with when it was fresh, and without the one-time messages it carried then.
  const html = (await response.text())
    .replace(SAVED_MARK, `data-offline-saved="${new Date().toISOString()}"`)
    .replace(/<ul class="messages"[\s\S]*?<\/ul>/, "");
  await cache.put(url, new Response(html, { headers }));
  const assets = [...html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)];
  await precache(assets.map((match) => new URL(match[1], self.location).href));
}

// The page goes to the host as it comes; keeping its copy (and fetching what it needs) follows.
async function networkFirst(event) {
  const { request } = event;
  try {
    const response = await fetch(request);
    event.waitUntil(keep(request.url, response.clone()));
    return response;
  } catch (error) {
    const cache = await caches.open(CACHE);
    const kept =
      (await cache.match(request.url)) ||
      (await cache.match(request.url, { ignoreSearch: true })) ||
      (request.mode === "navigate" && (await cache.match(new URL("/start/", self.location).href)));
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(event) {
  return (await caches.match(event.request.url, { ignoreVary: true })) || networkFirst(event);
}

async function precache(urls) {
  const cache = await caches.open(CACHE);
  for (const url of new Set(urls)) {
    if (!(hostPage(url) || staticFile(url)) || (await cache.match(url))) continue;
    try {
      await keep(url, await fetch(url, { credentials: "same-origin" }));
    } catch {
      return;
    }
  }
}

// --- The outbox (IndexedDB: "items" in the order saved, "meta" for whose phone it is)

let opened = null;

// One connection for the worker's life, opened when first needed.
function database() {
  opened =
    opened ||
    new Promise((resolve, reject) => {
      const opening = indexedDB.open("trygghet-outbox", 1);
      opening.onupgradeneeded = () => {
        opening.result.createObjectStore("items", { keyPath: "id", autoIncrement: true });
        opening.result.createObjectStore("meta");
      };
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
  return opened;
}

async function store(name, mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(name, mode);
    const request = work(transaction.objectStore(name));
    transaction.oncomplete = () => resolve(request && request.result);
    transaction.onerror = () => reject(transaction.error);
  });
}

const items = () => store("items", "readonly", (s) => s.getAll());
const item = (id) => store("items", "readonly", (s) => s.get(id));
const save = (entry) => store("items", "readwrite", (s) => s.put(entry));
const remove = (id) => store("items", "readwrite", (s) => s.delete(id));

async function announce() {
  const list = await items();
  for (const client of await self.clients.matchAll({ type: "window" })) {
    client.postMessage({ outbox: list });
  }
}

async function queue({ url, fields, at, page, detail = "" }) {
  const found = submission(url);
  if (!found) return { queued: false };
  const [, kind, next] = found;
  const key = (fields.find(([name]) => name === "client_key") || [])[1] || "";
  await save({ url, fields, at, page, detail, kind, key, reason: "" });
  if (self.registration.sync) self.registration.sync.register("outbox").catch(() => {});
  await announce();
  return { queued: true, next };
}

// The server's own words for a refusal: the messages and field errors its page shows.
function reasonIn(html) {
  const found = html.matchAll(
    /class="(?:message message-error|errorlist)[^"]*"[^>]*>([\s\S]*?)<\/(?:p|li|ul)>/g,
  );
  const text = [...found].map((match) => match[1].replace(/<[^>]+>/g, " ")).join(" ");
  return text.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&")
    .replace(/\s+/g, " ").trim();
}

async function send(entry) {
  const body = new FormData();
  const headers = { "X-Requested-With": "outbox" };
  // The token the server gave this phone now: the one in a form saved hours ago may be stale.
  const cookie = self.cookieStore && (await self.cookieStore.get("csrftoken"));
  for (const [name, value] of entry.fields) {
    if (name === "csrfmiddlewaretoken" && cookie) continue;
    body.append(name, value);
  }
  if (cookie) headers["X-CSRFToken"] = cookie.value;
  body.set("happened_at", entry.at);
  return fetch(entry.url, { method: "POST", body, headers, credentials: "same-origin" });
}

let flushing = null;

// In order; a failed connection stops the round (the rest waits behind it), a refusal does not.
async function flushOnce() {
  for (const entry of await items()) {
    if (entry.reason) continue;
    let response;
    try {
      response = await send(entry);
    } catch {
      break;
    }
    if (new URL(response.url).pathname.startsWith("/accounts/login/") || response.status >= 500) {
      break; // signed out, or the server is down: try again later
    }
    const reason = reasonIn(await response.text());
    if (response.ok && !reason) await remove(entry.id);
    else await save({ ...entry, reason: reason || `${response.status} ${response.statusText}` });
  }
  await announce();
}

function flush() {
  flushing = flushing || flushOnce().finally(() => (flushing = null));
  return flushing;
}

// Signing out leaves nothing of the host's on the phone. The cache is emptied rather than
// deleted, so a page being kept at that moment cannot land in a cache nobody reads.
async function forget() {
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) await cache.delete(request);
  await store("items", "readwrite", (s) => s.clear());
  await store("meta", "readwrite", (s) => s.delete("user"));
}

// A phone passed to another host after a session ran out (no sign-out): nothing of the first
// one's is kept.
async function ownedBy(user) {
  const owner = await store("meta", "readonly", (s) => s.get("user"));
  if (owner !== undefined && owner !== user) await forget();
  if (owner !== user) await store("meta", "readwrite", (s) => s.put(user, "user"));
}

const answers = {
  hello: async ({ user, urls }) => {
    await ownedBy(user);
    if (navigator.onLine) {
      flush();
      precache(urls);
    }
    return items();
  },
  queue,
  item: ({ id }) => item(id),
  discard: async ({ id }) => {
    await remove(id);
    await announce();
  },
  flush,
  signOut: forget,
};

self.addEventListener("message", (event) => {
  const answer = Promise.resolve(answers[event.data.type](event.data));
  event.waitUntil(answer.then((result) => event.ports[0] && event.ports[0].postMessage(result)));
});

self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") event.waitUntil(flush());
});

// A submission whose request fails on the way waits in the outbox; the host is taken where it
// would have led (or back to the page), which shows it waiting.
async function sendOrKeep(event) {
  const copy = event.request.clone();
  const at = new Date().toISOString();
  try {
    return await fetch(event.request);
  } catch (error) {
    const fields = [...(await copy.formData()).entries()];
    const { next } = await queue({ url: copy.url, fields, at, page: copy.referrer });
    if (copy.mode !== "navigate") return new Response(null, { status: 204 });
    return Response.redirect(next || copy.referrer || "/start/", 303);
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method === "POST" && submission(request.url)) {
    event.respondWith(sendOrKeep(event));
  } else if (request.method !== "GET") {
    return;
  } else if (request.mode === "navigate" && hostPage(request.url)) {
    event.respondWith(networkFirst(event));
  } else if (staticFile(request.url)) {
    event.respondWith(HASHED.test(request.url) ? cacheFirst(event) : networkFirst(event));
  }
});
