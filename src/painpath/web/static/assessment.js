// Body map: a click on a region chooses it in the form (the select works by keyboard too).
(function () {
  function choose(code) {
    var select = document.getElementById("region");
    if (!select || !code) return;
    select.value = code;
    document.querySelectorAll("svg.bodymap-draw .selected").forEach(function (el) {
      el.classList.remove("selected");
    });
    var poly = document.getElementById("draw-" + code);
    if (poly) poly.classList.add("selected");
    var option = select.options[select.selectedIndex];
    var chosen = ((option && option.dataset.qualities) || "").split(" ");
    document.querySelectorAll("input[name=qualities]").forEach(function (box) {
      box.checked = chosen.indexOf(box.value) !== -1;
    });
    var intensity = document.getElementById("intensity");
    if (intensity) intensity.value = (option && option.dataset.intensity) || "";
  }
  document.addEventListener("click", function (event) {
    var poly = event.target.closest && event.target.closest("svg.bodymap-draw .bodymap-region");
    if (!poly) return;
    choose(poly.id.replace(/^draw-/, ""));
    var legend = document.getElementById("qualities-legend");
    if (legend) legend.scrollIntoView({ behavior: "smooth", block: "center" });
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "region") choose(event.target.value);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.getElementById("region");
    if (select && select.value) choose(select.value);
  });
})();

// Questionnaire: never let a failed save look like a saved one.
(function () {
  function notSaved(event) {
    var target = event.detail && event.detail.target;
    if (target && target.classList && target.classList.contains("saved-line")) {
      target.innerHTML = '<span class="not-saved">Not saved. Check your connection and choose again.</span>';
    }
  }
  document.addEventListener("htmx:responseError", notSaved);
  document.addEventListener("htmx:sendError", notSaved);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.classList && target.classList.contains("saved-line")) {
      target.innerHTML = '<span class="saving">Saving…</span>';
    }
  });
})();
