// Draws the crosstab heatmap from the Vega-Lite spec the page carries (a json_script element).
// The table beside the chart holds the same numbers, so without JavaScript nothing is lost.
// Runs again after htmx swaps in new results; a container is drawn once.
(function () {
  "use strict";

  function readJson(id) {
    var element = id && document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function draw() {
    document.querySelectorAll("[data-chart-spec]").forEach(function (container) {
      if (container.dataset.drawn || typeof window.vegaEmbed !== "function") {
        return;
      }
      var spec = readJson(container.dataset.chartSpec);
      if (!spec) {
        return;
      }
      container.dataset.drawn = "true";
      container.textContent = "";
      window
        .vegaEmbed(container, spec, readJson(container.dataset.chartOptions) || {})
        .catch(function () {
          container.textContent = container.dataset.chartFailure || "";
        });
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
