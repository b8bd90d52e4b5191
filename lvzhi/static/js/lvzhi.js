/* Small progressive enhancements; every page works without JavaScript. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector("[data-nav-toggle]");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    // Guard against accidental double clicks; the server refuses a real double submit anyway.
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          window.setTimeout(function () { b.disabled = true; }, 0);
        });
      });
    });
    drafts();
    counters();
    // Open the step form that the page was re-rendered with (errors) and move focus to its first error.
    var firstError = document.querySelector(".field-error, .alert-error");
    if (firstError) {
      var details = firstError.closest("details");
      if (details) { details.open = true; }
      firstError.scrollIntoView({ block: "center" });
    }
  });

  // Drafts: the text of a form marked data-draft="<key>" (a proposal or suggestion being written) is kept in
  // this browser's localStorage as it is typed, so a session that times out loses nothing; opening the form
  // again (after logging in) puts it back into the fields still as the server rendered them. The copy is
  // removed once the form was saved (the next page shows a success message and not the form), and every
  // copy at logout (a shared computer).
  var PREFIX = "lvzhi-draft:", SENT = "lvzhi-draft-sent";
  function storage(kind) {
    try { var s = window[kind]; s.setItem("lvzhi-probe", "1"); s.removeItem("lvzhi-probe"); return s; }
    catch (e) { return null; }
  }
  function fieldsOf(form) {
    return Array.prototype.filter.call(form.querySelectorAll("textarea, input"), function (el) {
      var type = (el.getAttribute("type") || "text").toLowerCase();
      return Boolean(el.name) && el.name !== "csrfmiddlewaretoken" && (el.tagName === "TEXTAREA" ||
        ["text", "search", "email", "tel", "url", "date", "number"].indexOf(type) >= 0);
    });
  }
  function drafts() {
    var local = storage("localStorage"), session = storage("sessionStorage");
    if (!local) { return; }
    var sent = session && session.getItem(SENT);
    if (sent) {
      if (document.querySelector('form[data-draft="' + sent + '"]')) {
        session.removeItem(SENT);  // the form came back (errors): keep the copy
      } else if (document.querySelector(".msg-success")) {
        local.removeItem(PREFIX + sent);  // saved
        session.removeItem(SENT);
      }  // else (the login page after a timeout): keep both until the form is saved
    }
    document.querySelectorAll("form.logout").forEach(function (form) {
      form.addEventListener("submit", function () {
        for (var i = local.length - 1; i >= 0; i--) {
          var k = local.key(i);
          if (k && k.indexOf(PREFIX) === 0) { local.removeItem(k); }
        }
      });
    });
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      var key = PREFIX + form.getAttribute("data-draft"), fields = fieldsOf(form);
      var saved = null;
      try { saved = JSON.parse(local.getItem(key) || "null"); } catch (e) { saved = null; }
      if (saved && saved.fields) {
        var restored = 0;
        fields.forEach(function (el) {
          var v = saved.fields[el.name];
          if (typeof v === "string" && v !== "" && el.value !== v && el.value === el.defaultValue) {
            el.value = v;
            restored++;
          }
        });
        if (restored) {
          var note = document.createElement("div");
          note.className = "alert alert-info draft-restored";
          note.setAttribute("role", "status");
          var text = document.createElement("p");
          text.textContent = form.getAttribute("data-draft-restored") || "";
          var undo = document.createElement("button");
          undo.type = "button";
          undo.className = "small";
          undo.textContent = form.getAttribute("data-draft-discard") || "";
          undo.addEventListener("click", function () {
            fields.forEach(function (el) { el.value = el.defaultValue; });
            local.removeItem(key);
            note.remove();
          });
          text.appendChild(document.createTextNode(" "));
          text.appendChild(undo);
          note.appendChild(text);
          form.parentNode.insertBefore(note, form);
        }
      }
      function save() {
        var values = {};
        fields.forEach(function (el) { values[el.name] = el.value; });
        try { local.setItem(key, JSON.stringify({ at: new Date().toISOString(), fields: values })); }
        catch (e) { /* storage full or disabled: the server copy still counts */ }
      }
      form.addEventListener("input", save);
      form.addEventListener("change", save);
      form.addEventListener("submit", function () {
        save();
        if (session) { session.setItem(SENT, form.getAttribute("data-draft")); }
      });
    });
  }

  // Character counters: a text field marked data-count shows how many characters it holds (and its limit,
  // from maxlength); fields sharing data-count-group="<g>" add up in the element data-count-total="<g>",
  // which warns once the total passes its data-recommend (a recommendation, never a refusal: the server
  // decides). Labels come from the page (data-count-label, data-total-label, data-over-label) so they are
  // translated with it.
  function counters() {
    function chars(el) { return Array.from(el.value || "").length; }
    var totals = {};
    document.querySelectorAll("[data-count-total]").forEach(function (out) {
      totals[out.getAttribute("data-count-total")] = out;
    });
    function refreshTotal(group) {
      var out = totals[group];
      if (!out) { return; }
      var n = 0;
      document.querySelectorAll("[data-count-group='" + group + "']").forEach(function (el) { n += chars(el); });
      var limit = parseInt(out.getAttribute("data-recommend") || "0", 10);
      var over = limit && n > limit;
      out.textContent = (out.getAttribute(over ? "data-over-label" : "data-total-label") || "{n}")
        .replace("{n}", String(n)).replace("{max}", String(limit));
      out.classList.toggle("over", Boolean(over));
    }
    document.querySelectorAll("textarea[data-count], input[data-count]").forEach(function (el) {
      var small = document.createElement("small");
      small.className = "counter";
      small.setAttribute("aria-live", "polite");
      el.insertAdjacentElement("afterend", small);
      var max = parseInt(el.getAttribute("maxlength") || "0", 10);
      var label = el.getAttribute("data-count-label") || "{n}";
      function refresh() {
        small.textContent = label.replace("{n}", String(chars(el))).replace("{max}", String(max || ""));
        small.classList.toggle("over", Boolean(max && chars(el) > max));
        var group = el.getAttribute("data-count-group");
        if (group) { refreshTotal(group); }
      }
      el.addEventListener("input", refresh);
      refresh();
    });
  }
})();
