/*
 * 办理情形选择（渐进增强）
 *
 * Without JavaScript the picker is an ordinary GET form: the server renders only the
 * picked situation's materials, limits and fee. This script makes the same choice apply
 * at once, without a reload:
 *   - each situation is a button (Tab reaches each one, Enter or Space picks it; focus stays
 *     on it, so a keyboard user keeps their place) and carries its material codes, limits and fee in data-* attributes;
 *   - each material row carries data-material-code, so rows are shown or hidden;
 *   - when the page was rendered for one situation (only its rows are in the page), the
 *     full list is fetched once from the page itself and swapped in: the server stays the
 *     only source of what a guide asks for;
 *   - the address bar follows the choice (history.replaceState), so the URL can be shared
 *     and reloads land on the same situation.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-situation-picker]");
  var region = document.querySelector("[data-materials]");
  if (!form || !region || !window.URL || !document.querySelectorAll) {
    return;
  }
  document.documentElement.classList.add("js");

  var options = form.querySelectorAll('button[name="situation"]');
  var pending = null;

  function tbody() {
    return region.querySelector("tbody");
  }

  function rows() {
    return region.querySelectorAll("[data-material-code]");
  }

  function setText(key, value) {
    var nodes = document.querySelectorAll('[data-summary="' + key + '"]');
    for (var i = 0; i < nodes.length; i++) {
      nodes[i].textContent = value;
    }
  }

  function codesOf(option) {
    if (option.hasAttribute("data-all")) {
      return null; // every material
    }
    var raw = option.getAttribute("data-material-codes") || "";
    return raw.split(/\s+/).filter(Boolean);
  }

  function hasAllRows(codes) {
    if (region.getAttribute("data-complete") === "true") {
      return true;
    }
    if (codes === null) {
      return false;
    }
    var present = {};
    var list = rows();
    for (var i = 0; i < list.length; i++) {
      present[list[i].getAttribute("data-material-code")] = true;
    }
    return codes.every(function (code) {
      return present[code];
    });
  }

  function filterRows(codes) {
    var wanted = {};
    if (codes !== null) {
      codes.forEach(function (code) {
        wanted[code] = true;
      });
    }
    var shown = 0;
    var list = rows();
    for (var i = 0; i < list.length; i++) {
      var show = codes === null || wanted[list[i].getAttribute("data-material-code")] === true;
      list[i].hidden = !show;
      if (show) {
        shown++;
      }
    }
    setText("count", String(shown));
    var empty = region.querySelector("[data-materials-empty]");
    if (empty) {
      empty.hidden = shown > 0;
    }
    var table = region.querySelector(".table-wrap");
    if (table) {
      table.hidden = shown === 0;
    }
  }

  // Fetch the page for "all situations" once and take its full material list.
  function loadAllRows() {
    if (!pending) {
      var url = new URL(window.location.href);
      url.search = "";
      url.hash = "";
      pending = fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.querySelector("[data-materials] tbody");
          if (!fresh) {
            throw new Error("no material list in page");
          }
          tbody().innerHTML = fresh.innerHTML;
          region.setAttribute("data-complete", "true");
        });
      pending.catch(function () {
        pending = null;
      });
    }
    return pending;
  }

  function updateUrl(value) {
    if (!window.history || !window.history.replaceState) {
      return;
    }
    var url = new URL(window.location.href);
    if (value) {
      url.searchParams.set("situation", value);
    } else {
      url.searchParams.delete("situation");
    }
    window.history.replaceState(null, "", url.toString());

    var links = document.querySelectorAll("[data-situation-link]");
    for (var i = 0; i < links.length; i++) {
      var link = new URL(links[i].href, window.location.href);
      if (value) {
        link.searchParams.set("situation", value);
      } else {
        link.searchParams.delete("situation");
      }
      links[i].setAttribute("href", link.pathname + link.search);
    }
  }

  function picked() {
    return form.querySelector('button[name="situation"][aria-pressed="true"]');
  }

  function markPicked(option) {
    for (var i = 0; i < options.length; i++) {
      options[i].classList.toggle("is-picked", options[i] === option);
      options[i].setAttribute("aria-pressed", options[i] === option ? "true" : "false");
    }
    var limitRows = document.querySelectorAll("[data-situation-row]");
    for (var j = 0; j < limitRows.length; j++) {
      limitRows[j].classList.toggle("is-picked", limitRows[j].getAttribute("data-situation-row") === option.value);
    }
    var summary = region.querySelector(".situation-summary");
    if (summary) {
      summary.classList.toggle("is-active", !!option.value);
    }
    var reset = region.querySelector("[data-situation-reset]");
    if (reset) {
      reset.hidden = !option.value;
    }
  }

  function apply(option) {
    var codes = codesOf(option);
    markPicked(option);
    setText("name", option.getAttribute("data-name") || "");
    setText("promised", option.getAttribute("data-promised") || "");
    setText("legal", option.getAttribute("data-legal") || "");
    setText("fee", option.getAttribute("data-fee") || "");
    updateUrl(option.value);

    if (hasAllRows(codes)) {
      filterRows(codes);
      return;
    }
    region.setAttribute("aria-busy", "true");
    loadAllRows()
      .then(function () {
        // The visitor may have picked another situation while we were loading.
        filterRows(codesOf(picked() || option));
      })
      .catch(function () {
        // Fall back to the server-rendered page, back at the picker.
        var url = new URL(window.location.href);
        url.hash = "sec-situations";
        window.location.assign(url.toString());
      })
      .then(function () {
        region.removeAttribute("aria-busy");
      });
  }

  // Enter, Space and a tap all arrive as a click on the button; the form is not submitted.
  form.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest('button[name="situation"]');
    if (option) {
      event.preventDefault();
      apply(option);
    }
  });

  // "查看全部情形" link inside the summary: pick the "all" option instead of reloading.
  var resetLink = region.querySelector("[data-situation-reset]");
  if (resetLink) {
    resetLink.addEventListener("click", function (event) {
      var all = form.querySelector('button[name="situation"][data-all]');
      if (all) {
        event.preventDefault();
        apply(all);
        all.focus();
      }
    });
  }
})();
