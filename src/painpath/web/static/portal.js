// Diary form: keep what is typed on this phone until the server confirms it, and retry sends.
// The idempotency key travels with the saved entry, so a retry never creates a second entry.
(function () {
  "use strict";
  var form = document.getElementById("diary-form");
  if (!form || !window.localStorage || !window.fetch || !window.FormData) { return; }
  var draftKey = form.getAttribute("data-draft-key");
  var pendingKey = draftKey + "-pending";
  var banner = document.getElementById("pending-banner");
  var retryTimer = null;
  var sending = false;

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }
  function read(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function snapshot() {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token") { data[name] = String(value); }
    });
    return data;
  }
  function restore(data) {
    Object.keys(data).forEach(function (name) {
      var fields = form.elements.namedItem(name);
      if (!fields) { return; }
      if (fields.length !== undefined && fields.tagName !== "SELECT") {
        Array.prototype.forEach.call(fields, function (f) { f.checked = f.value === data[name]; });
      } else if (fields.type === "checkbox") {
        fields.checked = data[name] === fields.value;
      } else {
        fields.value = data[name];
      }
    });
  }
  function show(message) {
    if (!banner) { return; }
    banner.textContent = message;
    banner.hidden = !message;
  }
  function send(data) {
    var body = new FormData();
    body.append("csrf_token", form.elements.namedItem("csrf_token").value);
    Object.keys(data).forEach(function (name) {
      if (name !== "typed_at_ms" && name !== "age_seconds") { body.append(name, data[name]); }
    });
    // How long ago it was typed, by this phone's own clock: right even if that clock is wrong.
    var age = Math.max(0, Math.round((Date.now() - Number(data.typed_at_ms || Date.now())) / 1000));
    body.append("age_seconds", String(age));
    return fetch(form.action, { method: "POST", body: body, credentials: "same-origin" });
  }
  function flush() {
    var pending = read(pendingKey);
    if (!pending || sending) { return; }
    sending = true;
    send(pending).then(function (response) {
      sending = false;
      if (response.ok) {
        localStorage.removeItem(pendingKey);
        localStorage.removeItem(draftKey);
        window.location.assign(response.url || "/me");
      } else {
        // The server answered but refused (e.g. a missing pain score): let it show why.
        localStorage.removeItem(pendingKey);
        restore(pending);
        HTMLFormElement.prototype.submit.call(form);
      }
    }).catch(function () {
      sending = false;
      show("Not sent yet: no connection. Your entry is saved on this phone and will be sent when you are back online.");
      clearTimeout(retryTimer);
      retryTimer = setTimeout(flush, 5000);
    });
  }

  var draft = read(draftKey);
  var pending = read(pendingKey);
  if (pending) {
    restore(pending);
    show("An entry from earlier has not reached painpath yet. Sending it now…");
    flush();
  } else if (draft) {
    restore(draft);
  }
  if (!form.elements.namedItem("idempotency_key").value) {
    form.elements.namedItem("idempotency_key").value = newKey();
  }
  form.addEventListener("input", function () { localStorage.setItem(draftKey, JSON.stringify(snapshot())); });
  form.addEventListener("change", function () { localStorage.setItem(draftKey, JSON.stringify(snapshot())); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = snapshot();
    data.typed_at_ms = String(Date.now());
    localStorage.setItem(pendingKey, JSON.stringify(data));
    show("Saving…");
    flush();
  });
  window.addEventListener("online", flush);
})();
