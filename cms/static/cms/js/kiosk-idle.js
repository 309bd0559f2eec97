/*
 * 自助终端空闲返回首页
 *
 * A kiosk left alone goes back to its start screen, so the next visitor never finds the last
 * one's guide still open. The idle time is the managers' setting (KioskSettings, in the admin),
 * put on <body data-idle-seconds data-idle-home> by the template. Any touch, key, wheel or
 * scroll starts the count again. In the last 10 seconds a notice counts down
 * ("N秒后返回首页") with a "继续浏览" button.
 *
 * The seconds are read again at every reset, not once: the attribute is the one source of
 * the value (a test shortens it by changing the attribute, then any key restarts the count).
 * The start screen itself has neither the attributes nor this script: nowhere to go back to.
 * Without JavaScript, a <noscript> meta refresh in the page does the same, without the notice.
 */
(function () {
  "use strict";

  var body = document.body;
  var home = body.getAttribute("data-idle-home");
  var notice = document.querySelector("[data-idle-notice]");
  var count = notice && notice.querySelector("[data-idle-count]");
  var stay = notice && notice.querySelector("[data-idle-stay]");
  var WARNING_SECONDS = 10;
  if (!home || !window.URL) {
    return;
  }

  var start = new URL(home, window.location.href);
  var deadline = 0;

  function idleSeconds() {
    var seconds = parseInt(body.getAttribute("data-idle-seconds"), 10);
    return seconds > 0 ? seconds : 0;
  }

  var before = null; // what had focus when the notice took it, given back when it closes

  function reset() {
    deadline = Date.now() + idleSeconds() * 1000;
    if (notice && !notice.hidden) {
      notice.hidden = true;
      if (before && document.contains(before) && document.activeElement === stay) {
        before.focus({ preventScroll: true });
      }
      before = null;
    }
  }

  function tick() {
    if (!idleSeconds()) {
      return;
    }
    var left = Math.ceil((deadline - Date.now()) / 1000);
    if (left <= 0) {
      window.location.assign(start.href);
      return;
    }
    if (left <= WARNING_SECONDS && notice) {
      count.textContent = String(left);
      if (notice.hidden) {
        notice.hidden = false;
        before = document.activeElement;
        stay.focus({ preventScroll: true }); // Enter continues, as a tap does
      }
    }
  }

  ["pointerdown", "pointermove", "touchstart", "keydown", "wheel", "scroll"].forEach(function (name) {
    window.addEventListener(name, reset, { capture: true, passive: true });
  });
  if (stay) {
    stay.addEventListener("click", reset);
  }
  reset();
  window.setInterval(tick, 250);
})();
