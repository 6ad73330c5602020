// The little JavaScript Raati has: keep "who will be told" in step with the chosen action, and draw the
// dashboard's charts with Chart.js. Every page works without it; the tables carry the same figures.
// base.html loads this file on every page and some pages' own blocks load it too: it runs once.
(function () {
  "use strict";
  if (window.raatiEnhanced) { return; }
  window.raatiEnhanced = true;
  document.querySelectorAll("select[data-told-target]").forEach(function (select) {
    var target = document.getElementById(select.dataset.toldTarget);
    var service = document.getElementById("service-" + select.dataset.idea);
    function update() {
      var option = select.options[select.selectedIndex];
      // Sent to a service, the idea's new owners hear of it too: the chosen service decides who.
      if (service && option && option.value === "sent_to_service") { option = service.options[service.selectedIndex]; }
      if (target && option) { target.textContent = option.dataset.told; }
    }
    select.addEventListener("change", update);
    if (service) { service.addEventListener("change", update); }
  });
  // Which languages' members would read the note only in Finnish: in step with the Swedish and English fields.
  document.querySelectorAll("[data-advice-idea]").forEach(function (advice) {
    var idea = advice.dataset.adviceIdea;
    var sv = document.getElementById("note-sv-" + idea);
    var en = document.getElementById("note-en-" + idea);
    if (!sv || !en) { return; }
    function update() {
      var noSv = !sv.value.trim(), noEn = !en.value.trim();
      advice.textContent = noSv && noEn ? advice.dataset.adviceBoth : noSv ? advice.dataset.adviceSv : noEn ? advice.dataset.adviceEn : "";
    }
    sv.addEventListener("input", update);
    en.addEventListener("input", update);
  });
  // After a refused form, focus goes to its error summary (the first, which also comes first in the reading order),
  // so that a screen reader reads what to fix and Tab leads on to the fields. A summary without tabindex gets one.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
    summary.focus();
  }
  // The header's menu (a <details>, which opens and closes without script): Escape closes it, back on its button.
  document.querySelectorAll("details.menu").forEach(function (menu) {
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });
  if (window.Chart) {
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = JSON.parse(canvas.dataset.chart);
      new window.Chart(canvas, {
        type: "bar",
        data: { labels: spec.labels, datasets: [{ label: spec.label, data: spec.values, backgroundColor: "#0000bf" }] },
        options: { maintainAspectRatio: false, animation: false,
                   // A bar leads where its row in the table beside the chart leads (spec.links: one address per bar).
                   onClick: function (_event, bars) { var to = spec.links && bars.length ? spec.links[bars[0].index] : null; if (to) { window.location.assign(to); } },
                   onHover: function (event, bars) { if (spec.links) { event.native.target.style.cursor = bars.length && spec.links[bars[0].index] ? "pointer" : "default"; } },
                   plugins: { legend: { display: false }, title: { display: true, text: spec.label, color: "#1a1a1a" } },
                   scales: { y: { beginAtZero: true, ticks: { precision: 0, color: "#1a1a1a" } }, x: { ticks: { color: "#1a1a1a" } } } }
      });
    });
  }
})();
