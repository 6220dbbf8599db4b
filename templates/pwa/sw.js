{% autoescape off %}// Over-Graph service worker (overgraph/pwa.py). Caches the app shell only: static files and the
// offline page. Pages and API answers carry private data: they always go to the network and are
// never stored, so a shared phone never shows the previous person's statistics.
"use strict";

const CACHE = "overgraph-shell-{{ version }}";
const SHELL = {{ shell_json }};
const OFFLINE_URL = "{{ offline_url }}";
const STATIC_PREFIX = "{{ static_prefix }}";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // credentials "omit": the offline page is fetched as nobody, so it can hold no one's data.
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

// The page asks for this at logout (static/js/app.js): nothing survives the session.
self.addEventListener("message", (event) => {
  if (event.data === "logout") {
    event.waitUntil(caches.keys().then((keys) => Promise.all(keys.map((key) => caches.delete(key)))));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }

  if (request.mode === "navigate") {
    // Network first, never stored; the offline page when there is no network.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
    return;
  }
  if (url.pathname.startsWith(STATIC_PREFIX) && SHELL.includes(url.pathname)) {
    // Shell files: from the cache, the network when missing.
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
  // Everything else (API, htmx fragments, media, exports): straight to the network, not cached.
});
{% endautoescape %}
