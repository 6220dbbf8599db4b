// Over-Graph's small behaviours. Loaded as a file (the Content-Security-Policy forbids inline
// scripts); every page works without it.
(function () {
  "use strict";

  // Forms that destroy something ask once more.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Close an open menu (<details>) when clicking elsewhere or pressing Escape.
  function closeMenus(except) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (menu !== except) { menu.removeAttribute("open"); }
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest("details.menu"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var open = document.querySelector("details.menu[open]");
      closeMenus(null);
      if (open) { open.querySelector("summary").focus(); }
    }
  });
  // Installable app (overgraph/pwa.py): the service worker caches the app shell only, never a page.
  // At logout every cache goes too, so the next person on this phone finds nothing of the last one.
  var worker = document.querySelector("script[data-service-worker]");
  if ("serviceWorker" in navigator && worker && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(worker.getAttribute("data-service-worker"), { scope: "/" }).catch(function () {});
    });
  }
  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute("data-logout") || event.defaultPrevented) { return; }
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("logout");
    }
    if (window.caches) {
      window.caches.keys().then(function (keys) { keys.forEach(function (key) { window.caches.delete(key); }); });
    }
  });
  // A box that scrolls sideways (a wide table on a phone) can be scrolled with the keyboard too.
  var SCROLLERS = ".table-scroll, .report-web .key-numbers, .report-web table.data, [data-scroller]";
  function focusableScrollers() {
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
    });
  }
  focusableScrollers();
  document.addEventListener("htmx:afterSettle", focusableScrollers);
  window.addEventListener("resize", focusableScrollers);
})();
