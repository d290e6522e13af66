// Steward's pages work without this file; it only makes them nicer. Served as written, loaded with `defer`.
(() => {
  // A request's status page follows the work while the service carries it out: it reloads every few seconds, for
  // two minutes at most (the link stays for later), and only while the tab is visible.
  const refresh = document.querySelector("[data-refresh]");
  const MAX_RELOADS = 24;
  if (refresh) {
    const seconds = Math.max(2, Number(refresh.getAttribute("data-refresh")) || 5);
    const key = `steward:reloads:${window.location.pathname}`;
    const done = Number(window.sessionStorage.getItem(key)) || 0;
    if (done < MAX_RELOADS)
      setTimeout(function again() {
        if (document.visibilityState !== "visible") return setTimeout(again, seconds * 1000);
        window.sessionStorage.setItem(key, String(done + 1));
        // The link's own address: a notice shown once (?confirmed=1) is not shown again.
        window.location.assign(refresh.getAttribute("href") || "");
      }, seconds * 1000);
  }
  // A form whose field came back with an error: focus the error summary first, as a screen reader user expects.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  // Destructive console actions ask once more.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.getAttribute("data-confirm") || "")) event.preventDefault();
    });
  }
})();
