// "Print" buttons: <button data-print hidden>. Without JavaScript the button
// stays hidden and the page says to use the browser's Print command.
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
