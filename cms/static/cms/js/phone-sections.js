/*
 * 手机端折叠区块（渐进增强）
 *
 * Long pages (a guide is ~10,000 px on a phone with everything open) mark their sections
 * <details data-phone-collapse open>: open in the HTML, so a desktop, a printout and a browser
 * without scripts show everything. On a phone-width screen this script closes them, so the
 * page reads as its outline and a visitor opens what they need. It also:
 *   - keeps open the section the address points at (#sec-materials) and any marked
 *     data-phone-keep-open (the situation picker and the materials a visitor came for);
 *   - opens a section when a link leads to it (the contents list, "返回目录" links);
 *   - opens every section before printing, whatever the screen.
 */
(function () {
  "use strict";

  var sections = document.querySelectorAll("details[data-phone-collapse]");
  if (!sections.length || !window.matchMedia) {
    return;
  }
  // The site.css phone breakpoint.
  var phone = window.matchMedia("(max-width: 640px)");

  function sectionFor(hash) {
    if (!hash || hash.length < 2) {
      return null;
    }
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    return target && target.closest("details[data-phone-collapse]");
  }

  function openFor(hash) {
    var section = sectionFor(hash);
    if (section && !section.open) {
      section.open = true;
    }
    return section;
  }

  if (phone.matches) {
    var wanted = sectionFor(window.location.hash);
    for (var i = 0; i < sections.length; i++) {
      var keep = sections[i] === wanted || sections[i].hasAttribute("data-phone-keep-open");
      if (!keep) {
        sections[i].open = false;
      }
    }
  }

  // A same-page link opens its section before the browser scrolls to it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (link) {
      openFor(link.getAttribute("href"));
    }
  });
  window.addEventListener("hashchange", function () {
    var section = openFor(window.location.hash);
    var target = section && document.getElementById(window.location.hash.slice(1));
    if (target) {
      target.scrollIntoView();
    }
  });

  window.addEventListener("beforeprint", function () {
    for (var i = 0; i < sections.length; i++) {
      sections[i].open = true;
    }
  });
})();
