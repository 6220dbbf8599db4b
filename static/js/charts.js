// Over-Graph charts. The page carries each figure as data (<script type="application/json">, never
// executed: the Content-Security-Policy forbids inline scripts) next to an empty <div class="chart"
// data-figure="ID">. This file, loaded with `defer`, fetches the Plotly partial bundle only once a
// chart comes near the screen, after the first paint, then draws the figures. Every chart also has
// a table (the same numbers) in the page, so nothing is lost without JavaScript.
// Main-thread time: evaluating Plotly and drawing a first chart each take a long task (~100 ms on
// a slow phone, docs/performance.md), so they run as separate tasks, one chart per task, each when
// the browser is idle: a tap or a scroll waits for one chart at most, never for all of them.
(function () {
  "use strict";

  var plotly = null;
  var CONFIG = { responsive: true, displayModeBar: false, displaylogo: false };

  function loadPlotly(src) {
    if (window.Plotly) { return Promise.resolve(window.Plotly); }
    if (!plotly) {
      plotly = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.addEventListener("load", function () { resolve(window.Plotly); });
        script.addEventListener("error", reject);
        document.head.appendChild(script);
      });
    }
    return plotly;
  }

  // Resolves in a task of its own once the main thread is idle (at the latest after 1 s, so a
  // busy page still gets its charts); setTimeout where requestIdleCallback is missing (Safari).
  function idle() {
    return new Promise(function (resolve) {
      if (window.requestIdleCallback) {
        window.requestIdleCallback(function () { resolve(); }, { timeout: 1000 });
      } else {
        window.setTimeout(resolve, 0);
      }
    });
  }

  // Each chart's figure, read once from its JSON.
  var figures = new WeakMap();

  // Charts waiting to be drawn, in the order they came near the screen; one drawer at a time.
  var queue = [];
  var drawing = false;

  function drawNext() {
    var element = queue.shift();
    if (!element) { drawing = false; return; }
    var figure = figures.get(element);
    if (!figure || !element.isConnected) { drawNext(); return; }
    loadPlotly(element.getAttribute("data-plotly-src")).then(idle).then(function () {
      element.classList.add("chart-ready");
      return window.Plotly.newPlot(element, figure.data, figure.layout, CONFIG);
    }).then(function () {
      element.setAttribute("data-drawn", "true");
    }, function () {
      // The table below the chart still holds the numbers.
      element.setAttribute("data-drawn", "failed");
      element.classList.add("chart-failed");
    }).then(drawNext);
  }

  function draw(element) {
    if (element.getAttribute("data-drawn")) { return; }
    element.setAttribute("data-drawn", "pending");
    queue.push(element);
    if (!drawing) {
      drawing = true;
      drawNext();
    }
  }

  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        observer.unobserve(entry.target);
        draw(entry.target);
      }
    });
  }, { rootMargin: "200px" }) : null;

  function init(root) {
    root.querySelectorAll(".chart[data-figure]").forEach(function (element) {
      if (element.getAttribute("data-drawn")) { return; }
      var source = document.getElementById(element.getAttribute("data-figure"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      figures.set(element, figure);
      // The chart's own height, reserved before it is drawn: the page does not shift when it is,
      // and the observer below sees where the following charts really are (a chart lower down
      // is not drawn during the page's load because the placeholders above it were too short).
      if (typeof figure.layout.height === "number") { element.style.minHeight = figure.layout.height + "px"; }
      if (observer) { observer.observe(element); } else { draw(element); }
    });
  }

  // After the first paint: the page's text and tables show before Plotly is even requested.
  function start() {
    window.requestAnimationFrame(function () { window.setTimeout(function () { init(document); }, 0); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // htmx swaps in new figures when the period or a filter changes.
  document.addEventListener("htmx:load", function (event) { init(event.target); });

  // Typing a date in the period selector means a custom period. Capture phase: this runs before
  // htmx sends the form on the same "change".
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".period-form input[type=date]")) { return; }
    var preset = input.form && input.form.querySelector("select[name=period]");
    if (preset) { preset.value = "custom"; }
  }, true);

  // Charts inside a closed <details> have no width yet: redraw at their real size when opened.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.tagName !== "DETAILS" || !details.open || !window.Plotly) { return; }
    details.querySelectorAll(".chart[data-drawn=true]").forEach(function (element) {
      window.Plotly.Plots.resize(element);
    });
  }, true);
})();
