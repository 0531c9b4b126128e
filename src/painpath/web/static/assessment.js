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
