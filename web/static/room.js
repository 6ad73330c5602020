// The meeting room's script (web/templates/meeting_room.html): each tap is posted with fetch and the room's region
// swapped for the one the server returns; a lost request is sent again, the same form with the same action id, so it
// is never recorded twice; the speaker's timer runs; keyboard shortcuts. Without it every tap is a plain form.
(function () {
  "use strict";
  var region = document.getElementById("room-region");
  var status = document.getElementById("room-status");
  if (!region || !status || !window.fetch) { return; }
  var busy = false;
  var queued = [];
  var RETRY_FOR_MS = 30000;

  function say(key) { status.textContent = status.dataset[key] || ""; }

  // The timer counts from the moment the region came, from the elapsed time the server gave then: the server's
  // clock decides, not the tablet's.
  var tick = null;
  function startTimer() {
    if (tick) { window.clearInterval(tick); tick = null; }
    var clock = region.querySelector("[data-room-timer]");
    if (!clock) { return; }
    var hint = region.querySelector("[data-room-hint]");
    var base = parseInt(clock.dataset.elapsed, 10) || 0;
    var guide = parseInt(clock.dataset.guide, 10) || 0;
    var since = Date.now();
    function show() {
      var seconds = base + Math.floor((Date.now() - since) / 1000);
      var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      clock.textContent = h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
      if (hint && guide && seconds > guide && hint.hidden) { hint.hidden = false; }
    }
    show();
    tick = window.setInterval(show, 1000);
  }

  function swap(html) {
    var focused = document.activeElement;
    var focusKey = focused && focused.closest && focused.closest("form[data-room-form]") ? formKey(focused.closest("form")) : null;
    region.innerHTML = html;
    startTimer();
    var error = region.querySelector(".error-summary");
    if (error) { error.focus(); return; }
    // Keep the keyboard where it was: on the same kind of button for the same member, else on the region's top.
    if (focusKey) {
      var again = Array.prototype.find.call(region.querySelectorAll("form[data-room-form]"), function (f) { return formKey(f) === focusKey; });
      if (again) { again.querySelector("button").focus(); return; }
      var main = region.querySelector("form[data-shortcut] button");
      if (main) { main.focus(); }
    }
  }

  function formKey(form) {
    var kind = form.querySelector("input[name=kind]");
    var member = form.querySelector("input[name=member_id]");
    return (kind ? kind.value : "") + ":" + (member ? member.value : "");
  }

  function send(body, action, started) {
    return window.fetch(action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Raati-Room": "1", "Accept": "text/html" }
    }).then(function (response) {
      if (response.status >= 500) { throw new Error("server " + response.status); }
      return response;
    }).catch(function (problem) {
      // No answer (or the server failed): the same body again, the same action id, after a growing pause.
      if (Date.now() - started > RETRY_FOR_MS) { throw problem; }
      say("retrying");
      var waited = Math.min(8000, 500 * Math.pow(2, Math.floor((Date.now() - started) / 2000)));
      return new Promise(function (resolve) { window.setTimeout(resolve, waited); })
        .then(function () { return send(body, action, started); });
    });
  }

  function submit(form) {
    if (busy) { queued.push(form); return; }
    busy = true;
    say("saving");
    region.setAttribute("aria-busy", "true");
    var body = new URLSearchParams(new FormData(form));
    send(body, form.action, Date.now()).then(function (response) {
      if (response.redirected || response.status === 403 || response.status === 404) {
        // Signed out, an expired form or a refusal: the page says it whole.
        window.location.assign(response.redirected ? response.url : form.action);
        return null;
      }
      return response.text().then(function (html) {
        swap(html);
        say(response.ok ? "saved" : "refused");
      });
    }).catch(function () {
      say("failed");
    }).then(function () {
      busy = false;
      region.removeAttribute("aria-busy");
      var next = queued.shift();
      // A tap made while the previous one was saving is sent after it, from the region as it now stands.
      if (next) { var fresh = counterpart(next); if (fresh) { submit(fresh); } }
    });
  }

  function counterpart(form) {
    if (region.contains(form)) { return form; }
    var key = formKey(form);
    return Array.prototype.find.call(region.querySelectorAll("form[data-room-form]"), function (f) { return formKey(f) === key; }) || null;
  }

  region.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-room-form]")) { return; }
    event.preventDefault();
    submit(form);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || event.defaultPrevented) { return; }
    var target = event.target;
    // Not while typing or choosing: a field keeps its keys.
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    var key = event.key.toLowerCase();
    // Enter and Space start the next turn too, when no button or link has the focus (then they press it).
    if ((key === "enter" || key === " ") && !(target && target.closest && target.closest("a, button, summary, [tabindex]:not(main)"))) { key = "n"; }
    var form = key.length === 1 ? region.querySelector('form[data-shortcut="' + window.CSS.escape(key) + '"]') : null;
    if (!form) { return; }
    event.preventDefault();
    submit(form);
  });

  startTimer();
})();
