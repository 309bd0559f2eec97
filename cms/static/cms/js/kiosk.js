/*
 * Hall kiosk (自助终端): "返回" goes back to the screen the visitor came from when there is
 * one on this terminal; otherwise the link's own address (the kiosk start screen, /kiosk/)
 * is followed, so the button works with scripts off too.
 */
(function () {
  "use strict";
  var sameOrigin = document.referrer && document.referrer.indexOf(window.location.origin + "/") === 0;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-back]");
    if (!link || !sameOrigin || window.history.length < 2) {
      return;
    }
    event.preventDefault();
    window.history.back();
  });
})();
