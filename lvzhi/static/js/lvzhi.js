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
    // Open the step form that the page was re-rendered with (errors) and move focus to its first error.
    var firstError = document.querySelector(".field-error, .alert-error");
    if (firstError) {
      var details = firstError.closest("details");
      if (details) { details.open = true; }
      firstError.scrollIntoView({ block: "center" });
    }
  });
})();
