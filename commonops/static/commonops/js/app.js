// CommonOps' own script. Pages hold no inline script (the Content-Security-Policy forbids
// it): behaviour is declared with data attributes and wired here. The menu needs none: it
// opens with a checkbox and CSS, so it works without JavaScript too.
(function () {
  "use strict";
  // <select data-submit-on-change>: choosing sends its form (the country switcher).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
  });
  // Inside [data-swap-400], htmx shows a 400 answer (the form with its errors) in place, as
  // it shows a 200. From inside [data-swap-refusals] (a workflow step's button or form), a
  // refused step's answer, 400 (the reason) or 403, is shown in place too. Either the
  // element that sent the request or the one swapped may carry the attribute.
  function within(event, selector) {
    var config = event.detail.requestConfig;
    var elements = [config && config.elt, event.target];
    return elements.some(function (element) {
      return element && element.closest && element.closest(selector);
    });
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 400 && within(event, "[data-swap-400]"))
        || ((status === 400 || status === 403) && within(event, "[data-swap-refusals]"))) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
