// CommonOps' own script. Pages hold no inline script (the Content-Security-Policy forbids
// it): behaviour is declared with data attributes and wired here. Loaded right after the
// menu, so the wide-screen menu is open before the page is first painted.
(function () {
  "use strict";
  var menu = document.getElementById("menu");
  if (menu && window.matchMedia("(min-width: 800px)").matches) {
    menu.open = true;
  }
  // <select data-submit-on-change>: choosing sends its form (the country switcher).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
  });
  // Inside [data-swap-400], htmx shows a 400 answer (the form with its errors) in place,
  // as it shows a 200.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var inside = event.target.closest && event.target.closest("[data-swap-400]");
    if (inside && event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
