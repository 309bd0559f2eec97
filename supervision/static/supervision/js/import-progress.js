// An import run's page while the worker imports: ask the run's status (JSON) every two
// seconds and move the bar; once the run has finished, reload the page, which then shows the
// report. Without JavaScript the page's <noscript> meta refresh reloads it instead.
(function () {
  "use strict";
  const panel = document.querySelector("[data-import-status-url]");
  if (!panel) {
    return;
  }
  const bar = panel.querySelector("progress");
  const text = panel.querySelector("[data-import-progress-text]");
  const label = panel.querySelector("[data-import-status-label]");
  const waiting = panel.querySelector("[data-import-waiting]");

  function show(state) {
    label.textContent = state.label;
    text.textContent = state.progress_text;
    waiting.hidden = !state.waiting_long;
    if (state.percent === null) {
      bar.removeAttribute("value"); // indeterminate: the total is not known
    } else {
      bar.value = state.percent;
      bar.textContent = state.percent + "%";
    }
  }

  async function poll() {
    try {
      const response = await fetch(panel.dataset.importStatusUrl, {
        headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok) {
        const state = await response.json();
        if (state.finished) {
          window.location.reload();
          return;
        }
        show(state);
      }
    } catch (error) {
      // A dropped connection or an expired session (the login page is no JSON): next time.
    }
    window.setTimeout(poll, 2000);
  }

  window.setTimeout(poll, 1000);
})();
