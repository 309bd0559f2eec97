/*
 * 办理情形选择（渐进增强）
 *
 * Without JavaScript the picker is an ordinary GET form: the server renders only the
 * picked situation's materials, limits and fee. This script makes the same choice apply
 * at once, without a reload:
 *   - each situation radio carries its material codes, limits and fee in data-* attributes;
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

  var radios = form.querySelectorAll('input[type="radio"][name="situation"]');
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

  function codesOf(radio) {
    if (radio.hasAttribute("data-all")) {
      return null; // every material
    }
    var raw = radio.getAttribute("data-material-codes") || "";
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

  function markPicked(radio) {
    for (var i = 0; i < radios.length; i++) {
      var label = radios[i].closest(".situation-option");
      if (label) {
        label.classList.toggle("is-picked", radios[i] === radio);
      }
    }
    var limitRows = document.querySelectorAll("[data-situation-row]");
    for (var j = 0; j < limitRows.length; j++) {
      limitRows[j].classList.toggle("is-picked", limitRows[j].getAttribute("data-situation-row") === radio.value);
    }
    var summary = region.querySelector(".situation-summary");
    if (summary) {
      summary.classList.toggle("is-active", !!radio.value);
    }
    var reset = region.querySelector("[data-situation-reset]");
    if (reset) {
      reset.hidden = !radio.value;
    }
  }

  function apply(radio) {
    var codes = codesOf(radio);
    markPicked(radio);
    setText("name", radio.getAttribute("data-name") || "");
    setText("promised", radio.getAttribute("data-promised") || "");
    setText("legal", radio.getAttribute("data-legal") || "");
    setText("fee", radio.getAttribute("data-fee") || "");
    updateUrl(radio.value);

    if (hasAllRows(codes)) {
      filterRows(codes);
      return;
    }
    region.setAttribute("aria-busy", "true");
    loadAllRows()
      .then(function () {
        // The visitor may have picked another situation while we were loading.
        var current = form.querySelector('input[name="situation"]:checked');
        filterRows(codesOf(current || radio));
      })
      .catch(function () {
        form.submit(); // fall back to the server-rendered page
      })
      .then(function () {
        region.removeAttribute("aria-busy");
      });
  }

  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "situation") {
      apply(event.target);
    }
  });

  // "查看全部情形" link inside the summary: pick the "all" option instead of reloading.
  var resetLink = region.querySelector("[data-situation-reset]");
  if (resetLink) {
    resetLink.addEventListener("click", function (event) {
      var all = form.querySelector('input[name="situation"][data-all]');
      if (all) {
        event.preventDefault();
        all.checked = true;
        apply(all);
        all.focus();
      }
    });
  }
})();
