// Over-Graph charts. The page carries each figure as data (<script type="application/json">, never
// executed: the Content-Security-Policy forbids inline scripts) next to an empty <div class="chart"
// data-figure="ID">. This file, loaded with `defer`, fetches the Plotly partial bundle only once a
// chart comes near the screen, after the first paint, then draws the figures. Every chart also has
// a table (the same numbers) in the page, so nothing is lost without JavaScript.
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

  function draw(element) {
    if (element.getAttribute("data-drawn")) { return; }
    element.setAttribute("data-drawn", "pending");
    var source = document.getElementById(element.getAttribute("data-figure"));
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    loadPlotly(element.getAttribute("data-plotly-src")).then(function (Plotly) {
      element.classList.add("chart-ready");
      return Plotly.newPlot(element, figure.data, figure.layout, CONFIG);
    }).then(function () {
      element.setAttribute("data-drawn", "true");
    }).catch(function () {
      // The table below the chart still holds the numbers.
      element.setAttribute("data-drawn", "failed");
      element.classList.add("chart-failed");
    });
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
