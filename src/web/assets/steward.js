// Steward's pages work without this file; it only makes them nicer. Served as written, loaded with `defer`.
(() => {
  // A request's status page follows the work while it is in progress: it refreshes itself every few seconds.
  const refresh = document.querySelector("[data-refresh]");
  if (refresh) {
    const seconds = Math.max(2, Number(refresh.getAttribute("data-refresh")) || 5);
    setTimeout(function again() {
      // The link's own address: a notice shown once (?confirmed=1) is not shown again.
      if (document.visibilityState === "visible") window.location.assign(refresh.getAttribute("href") || "");
      else setTimeout(again, seconds * 1000);
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
