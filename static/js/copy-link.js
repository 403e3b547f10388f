// "Copy the link" buttons: <button data-copy="#input-id" hidden>. Without
// JavaScript the button stays hidden and the link can be selected by hand.
// Also loaded by fragments htmx swaps in (the badge moment), so it may run
// more than once: each button is set up once, on load and after each swap.
(function () {
  "use strict";
  function setUp(root) {
    root.querySelectorAll("button[data-copy]:not([data-copy-ready])").forEach(function (button) {
      var input = document.querySelector(button.getAttribute("data-copy"));
      var status = document.querySelector(button.getAttribute("data-status"));
      if (!input) { return; }
      button.setAttribute("data-copy-ready", "");
      button.hidden = false;
      button.addEventListener("click", function () {
        var done = function () { if (status) { status.textContent = button.getAttribute("data-done"); } };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
        } else {
          input.select();
          document.execCommand("copy");
          done();
        }
      });
    });
  }
  setUp(document);
  if (!window.copyLinkListening) {
    window.copyLinkListening = true;
    document.addEventListener("htmx:load", function (event) { setUp(event.target); });
  }
})();
