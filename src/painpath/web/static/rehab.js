/* painpath rehab: exercise timers on the home programme and the GMI left/right judgement task.
   No framework; progressive enhancement (the pages work without it, except the task itself). */
(function () {
  "use strict";

  function fmt(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  /* ------------------------------------------------------------------ timers */
  document.querySelectorAll(".timer").forEach(function (box) {
    var total = parseInt(box.dataset.seconds, 10);
    var button = box.querySelector(".timer-start");
    var display = box.querySelector(".timer-display");
    var status = box.querySelector(".timer-status");
    var left = total, handle = null, label = button.innerHTML;
    function stop(message) {
      clearInterval(handle); handle = null;
      box.classList.remove("running");
      button.innerHTML = label;
      if (message) { status.textContent = message; }
    }
    button.addEventListener("click", function () {
      if (handle) { stop("Timer paused at " + fmt(left) + "."); return; }
      if (left <= 0) { left = total; box.classList.remove("finished"); }
      box.classList.add("running");
      button.textContent = "Pause";
      status.textContent = "Timer started: " + fmt(left) + ".";
      handle = setInterval(function () {
        left -= 1;
        display.textContent = fmt(left);
        if (left === 60 && total > 120) { status.textContent = "One minute left."; }
        if (left <= 0) {
          box.classList.add("finished");
          stop("Time is up. Well done.");
          if (navigator.vibrate) { navigator.vibrate(300); }
        }
      }, 1000);
    });
  });

  /* ------------------------------------------- editor: drag to reorder (mouse) */
  // Up/Down buttons stay the keyboard and screen-reader way; dragging only reorders the DOM,
  // and the form posts the items in DOM order, so "Save programme" stores what is shown.
  var list = document.querySelector("ol.items");
  if (list) {
    var dragged = null;
    var renumber = function () {
      list.querySelectorAll("li.item").forEach(function (li, i) {
        var pos = li.querySelector(".pos");
        if (pos) { pos.textContent = (i + 1) + "."; }
      });
      var live = document.querySelector(".editor-status");
      if (live && dragged) {
        live.textContent = "Moved " + dragged.querySelector("h3").textContent.replace(/^\s*\d+\.\s*/, "") + ". Save to keep the new order.";
      }
    };
    list.querySelectorAll("li.item").forEach(function (li) {
      // Only the card's heading is a handle, so text in its inputs can still be selected.
      var handle = li.querySelector(".item-head");
      handle.setAttribute("draggable", "true");
      handle.addEventListener("dragstart", function (e) {
        dragged = li; li.classList.add("dragging");
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", "");
      });
      handle.addEventListener("dragend", function () { li.classList.remove("dragging"); renumber(); dragged = null; });
      li.addEventListener("dragover", function (e) {
        if (!dragged || dragged === li) { return; }
        e.preventDefault();
        var box = li.getBoundingClientRect();
        list.insertBefore(dragged, e.clientY < box.top + box.height / 2 ? li : li.nextSibling);
      });
      li.addEventListener("drop", function (e) { e.preventDefault(); });
    });
  }

  /* ---------------------------------------------------------------- GMI task */
  var SVG_NS = "http://www.w3.org/2000/svg";
  // A right hand seen from the back (nails visible), fingers up, thumb on the left.
  var HAND = [
    '<path d="M62 118 C50 110 36 96 28 88 C21 81 29 70 38 76 C46 81 56 92 64 98 Z" class="skin"/>',
    '<rect x="60" y="44" width="19" height="80" rx="9.5" class="skin"/>',
    '<rect x="81" y="30" width="19" height="94" rx="9.5" class="skin"/>',
    '<rect x="102" y="38" width="19" height="86" rx="9.5" class="skin"/>',
    '<rect x="123" y="56" width="17" height="68" rx="8.5" class="skin"/>',
    '<path d="M58 100 H142 V150 C142 166 130 176 114 176 H86 C70 176 58 166 58 150 Z" class="skin"/>',
    '<rect x="76" y="172" width="48" height="26" class="skin"/>',
    '<rect x="64" y="48" width="11" height="12" rx="4" class="nail"/>',
    '<rect x="85" y="34" width="11" height="12" rx="4" class="nail"/>',
    '<rect x="106" y="42" width="11" height="12" rx="4" class="nail"/>',
    '<rect x="126" y="60" width="10" height="11" rx="4" class="nail"/>',
    '<ellipse cx="31" cy="80" rx="5" ry="5.5" class="nail" transform="rotate(-40 31 80)"/>'
  ].join("");
  // A right foot seen from above (toenails visible), toes up, big toe on the left.
  var FOOT = [
    '<path d="M70 60 C60 90 58 130 66 160 C72 184 84 196 102 196 C120 196 132 184 134 160 C138 126 142 92 136 62 C124 48 84 46 70 60 Z" class="skin"/>',
    '<ellipse cx="78" cy="40" rx="15" ry="19" class="skin"/>',
    '<ellipse cx="102" cy="34" rx="9" ry="12" class="skin"/>',
    '<ellipse cx="118" cy="38" rx="8" ry="11" class="skin"/>',
    '<ellipse cx="131" cy="46" rx="7" ry="10" class="skin"/>',
    '<ellipse cx="142" cy="57" rx="6" ry="8.5" class="skin"/>',
    '<ellipse cx="78" cy="31" rx="8" ry="7" class="nail"/>',
    '<ellipse cx="102" cy="28" rx="5" ry="4.5" class="nail"/>',
    '<ellipse cx="118" cy="32" rx="4.5" ry="4" class="nail"/>',
    '<ellipse cx="131" cy="41" rx="4" ry="3.5" class="nail"/>',
    '<ellipse cx="142" cy="52" rx="3.5" ry="3" class="nail"/>'
  ].join("");
  var STYLE = "<style>.skin{fill:#f3d2b8;stroke:#6b4b3a;stroke-width:2.5}" +
    ".nail{fill:#fbeee4;stroke:#8a6a58;stroke-width:1.5}.crease{fill:none;stroke:#b08a74;stroke-width:2}</style>";

  function picture(limb, side, rotation) {
    var mirror = side === "left" ? "translate(200 0) scale(-1 1)" : "";
    return '<svg xmlns="' + SVG_NS + '" viewBox="0 0 200 200" aria-hidden="true" focusable="false">' + STYLE +
      '<g transform="rotate(' + rotation + ' 100 100)"><g transform="' + mirror + '">' +
      (limb === "foot" ? FOOT : HAND) + "</g></g></svg>";
  }

  var task = document.getElementById("gmi");
  if (!task) { return; }
  var limb = task.dataset.limb, total = parseInt(task.dataset.trials, 10);
  var setup = task.querySelector(".gmi-setup"), stage = task.querySelector(".gmi-stage");
  var pic = task.querySelector(".gmi-picture"), progress = task.querySelector(".gmi-progress");
  var result = task.querySelector(".gmi-result");
  var TIMEOUT_MS = 6000;
  var trials = [], current = null, timer = null, shownAt = 0, affected = "right";

  function nextTrial() {
    if (trials.length >= total) { finish(); return; }
    var side = Math.random() < 0.5 ? "left" : "right";
    var rotation = [0, 90, 180, 270][Math.floor(Math.random() * 4)];
    current = { shown: side, rotation_deg: rotation, view: "back" };
    pic.innerHTML = "";
    progress.textContent = "Picture " + (trials.length + 1) + " of " + total;
    setTimeout(function () {
      pic.innerHTML = picture(limb, side, rotation);
      shownAt = performance.now();
      timer = setTimeout(function () { answer(null); }, TIMEOUT_MS);
    }, 350);
  }

  function answer(side) {
    if (!current || !shownAt) { return; }
    clearTimeout(timer);
    var rt = Math.max(1, Math.round(side === null ? TIMEOUT_MS : performance.now() - shownAt));
    trials.push({ shown: current.shown, answer: side, reaction_time_ms: rt,
                  rotation_deg: current.rotation_deg, view: current.view });
    current = null; shownAt = 0;
    nextTrial();
  }

  function finish() {
    stage.hidden = true;
    result.textContent = "Saving your result…";
    fetch("/api/v1/patients/" + task.dataset.patient + "/rehab/gmi-tests", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": task.dataset.csrf },
      body: JSON.stringify({ limb: limb, affected_side: affected, trials: trials })
    }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    }).then(function (t) {
      var secs = t.mean_rt_ms ? (t.mean_rt_ms / 1000).toFixed(2) + " seconds" : "no answers";
      result.innerHTML = "<h3>Done</h3><p><strong>" + t.correct + " of " + t.trials + " right (" +
        t.accuracy_pct + "%)</strong>, on average " + secs + " a picture.</p><p>Painful side " +
        t.affected_accuracy_pct + "% right, other side " + t.unaffected_accuracy_pct + "%.</p>" +
        '<p><a href="">Do it again</a></p>';
      result.focus();
    }).catch(function () {
      result.textContent = "Your result could not be saved. Check your connection and try again.";
    });
  }

  task.querySelector("#gmi-start").addEventListener("click", function () {
    affected = task.querySelector("#gmi-side").value;
    trials = []; setup.hidden = true; stage.hidden = false; result.textContent = "";
    stage.querySelector("[data-answer=left]").focus();
    nextTrial();
  });
  stage.querySelectorAll("[data-answer]").forEach(function (b) {
    b.addEventListener("click", function () { answer(b.dataset.answer); });
  });
  document.addEventListener("keydown", function (e) {
    if (stage.hidden) { return; }
    if (e.key === "ArrowLeft") { e.preventDefault(); answer("left"); }
    if (e.key === "ArrowRight") { e.preventDefault(); answer("right"); }
  });
})();
