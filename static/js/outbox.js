// The host's outbox on the page: what waits on the phone to be sent, and the offline note.
// The service worker keeps and sends the items (static/js/sw-offline.js); this shows them, hands
// it a form saved with no network, and warns before signing out would lose them. Without the
// service worker nothing here runs and the forms post as they always do.
(() => {
  const worker = navigator.serviceWorker;
  if (!worker || !worker.controller) return;
  const texts = JSON.parse(document.getElementById("offline-texts").textContent);
  const banner = document.querySelector("[data-outbox]");
  const root = document.documentElement;
  const savedAt = root.dataset.offlineSaved;
  let waiting = [];

  const ask = (message) =>
    new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data);
      worker.controller.postMessage(message, [channel.port2]);
    });
  const say = (text, values) => text.replace(/\{(\w+)\}/g, (_, name) => values[name]);
  const clock = (iso) => {
    const moment = new Date(iso);
    const options = { hour: "2-digit", minute: "2-digit" };
    if (moment.toDateString() !== new Date().toDateString()) {
      Object.assign(options, { day: "numeric", month: "short" });
    }
    return moment.toLocaleString(root.lang, options);
  };
  const localNow = () => {
    const now = new Date();
    return new Date(now - now.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  };
  const element = (tag, attributes, ...children) => {
    const made = Object.assign(document.createElement(tag), attributes);
    made.append(...children);
    return made;
  };

  function show(list) {
    waiting = list || [];
    banner.hidden = waiting.length === 0;
    banner.replaceChildren(
      element("h2", {}, say(texts.waiting, { count: waiting.length })),
      element(
        "ul",
        {},
        ...waiting.map((entry) => {
          const row = element(
            "li",
            {},
            element("strong", {}, `${clock(entry.at)} ${texts[entry.kind]}`),
            entry.detail ? ` · ${entry.detail}` : "",
          );
          if (entry.reason) {
            row.append(
              element("p", { className: "outbox-reason" }, say(texts.refused, entry)),
              element("a", { className: "btn", href: `${entry.page.split("#")[0]}#outbox-${entry.id}` }, texts.open),
              element("button", { className: "btn btn-danger", type: "button", value: entry.id }, texts.discard),
            );
          }
          return row;
        }),
      ),
    );
  }

  banner.addEventListener("click", (event) => {
    const discard = event.target.closest("button[value]");
    if (discard && confirm(texts.discard_confirm)) ask({ type: "discard", id: Number(discard.value) });
  });
  worker.addEventListener("message", (event) => event.data.outbox && show(event.data.outbox));
  window.addEventListener("online", () => ask({ type: "flush" }));
  // A panel that refreshes itself waits for the network rather than failing every few seconds.
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (!navigator.onLine && event.detail.requestConfig.verb === "get") event.preventDefault();
  });

  // A copy kept from earlier: say when it was fresh, and make its forms new ones (a key of their
  // own, the time fields at now), as the server would have.
  const note = document.querySelector("[data-offline-note]");
  const notice = (text) => {
    note.textContent = text;
    note.hidden = false;
  };
  const untouched = new Map();
  if (savedAt) {
    notice(say(texts.saved_at, { time: clock(savedAt) }));
    for (const key of document.querySelectorAll("input[name=client_key]")) key.value = crypto.randomUUID();
    for (const input of document.querySelectorAll("input[type=datetime-local]")) {
      input.value = localNow();
      untouched.set(input, input.value);
    }
  }

  // A refused item opened to fix: its form filled in again, the reason above it.
  async function reopen() {
    const id = Number((location.hash.match(/^#outbox-(\d+)$/) || [])[1]);
    const entry = id && (await ask({ type: "item", id }));
    if (!entry) return;
    // A form without an action posts to the page's address, which now ends in the #outbox part.
    const bare = (url) => url.split("#")[0];
    const form = [...document.forms].find((candidate) => bare(candidate.action) === bare(entry.url));
    if (!form) return;
    form.dataset.replaces = id;
    const files = new Map();
    for (const [name, value] of entry.fields) {
      const fields = form.elements[name];
      if (value instanceof Blob) {
        files.set(name, [...(files.get(name) || []), value]);
      } else if (fields instanceof RadioNodeList) {
        for (const field of fields) if (field.value === value) field.checked = true;
      } else if (fields && fields.type === "checkbox") {
        fields.checked = true;
      } else if (fields && fields.type !== "file") {
        fields.value = value;
      }
    }
    for (const [name, blobs] of files) {
      const transfer = new DataTransfer();
      for (const blob of blobs) if (blob.size) transfer.items.add(blob);
      form.elements[name].files = transfer.files;
    }
    form.prepend(element("p", { className: "message message-error", role: "alert" }, say(texts.fix, entry)));
  }

  // With no network a host submission is saved on the phone instead of failing.
  document.addEventListener(
    "submit",
    async (event) => {
      const form = event.target;
      if (form.hasAttribute("data-sign-out")) return signOut(event);
      if (form.method !== "post") return;
      for (const [input, value] of untouched) if (input.value === value) input.value = localNow();
      if (form.dataset.replaces) ask({ type: "discard", id: Number(form.dataset.replaces) });
      if (navigator.onLine) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      // What it was about, for the list: the category chosen, else the page's title (a building).
      const category = form.querySelector("select[name=category]");
      const heading = document.querySelector("main h1");
      const answer = await ask({
        type: "queue",
        url: form.action,
        fields: [...new FormData(form, event.submitter).entries()],
        at: new Date().toISOString(),
        page: location.href,
        detail:
          category && category.value
            ? category.selectedOptions[0].text
            : (heading && heading.textContent.trim()) || "",
      });
      if (!answer.queued) return notice(texts.cannot_queue);
      if (answer.next) return location.assign(answer.next);
      form.reset();
      notice(texts.queued);
    },
    true,
  );

  async function signOut(event) {
    if (event.defaultPrevented) return;
    event.preventDefault();
    if (waiting.length && !confirm(say(texts.sign_out, { count: waiting.length }))) return;
    await ask({ type: "signOut" });
    event.target.submit();
  }

  const links = [...document.querySelectorAll("a[href], script[src], link[href]")];
  ask({ type: "hello", user: root.dataset.user, urls: links.map((link) => link.href || link.src) })
    .then(show)
    .then(reopen);
})();
