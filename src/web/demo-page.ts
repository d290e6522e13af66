/**
 * `/demo`: a host page to see the browser SDK work — the learning platform's home page, with the SDK first in
 * <head>, a session-replay tag and an advertising tag gated by their purposes, and a panel that shows what ran and
 * what the SDK decided. Presentation only: every rule it shows comes from the consent API.
 */

import type { Manifest } from "../manifest/types.ts";
import { escapeHtml } from "../notice/html-escape.ts";
import { pageStart } from "../notice/page-start.ts";

const COURSES = [
  ["Data analysis with spreadsheets", "Beginner · 4 weeks", "Clean, chart and explain a real data set."],
  ["Introduction to machine learning", "Intermediate · 6 weeks", "Train, test and question your first models."],
  ["Writing for the web", "Beginner · 3 weeks", "Plan, draft and edit pages people finish reading."],
  ["Project management essentials", "Beginner · 5 weeks", "Scope, schedule and deliver with a small team."],
];

export function renderDemoPage(manifest: Manifest, jurisdiction: string | undefined): string {
  const org = escapeHtml(manifest.organization?.name ?? "Learning platform");
  const places = manifest.rights.map(
    (r) =>
      `<li><a href="/demo?jurisdiction=${encodeURIComponent(r.jurisdiction)}"${
        r.jurisdiction === jurisdiction ? ' aria-current="page"' : ""
      }>${escapeHtml(r.name)}</a></li>`,
  );
  const cards = COURSES.map(
    ([title, meta, text]) =>
      `<li class="card"><h3>${escapeHtml(title ?? "")}</h3><p class="meta">${escapeHtml(meta ?? "")}</p><p>${escapeHtml(text ?? "")}</p></li>`,
  ).join("");
  const head = `<link rel="icon" href="data:,">
<title>${org} — demo of the privacy SDK</title>
<script src="/sdk.js"${jurisdiction ? ` data-jurisdiction="${escapeHtml(jurisdiction)}"` : ""}></script>
<script>window.stewardDemo = { replay: false, ads: false };</script>
<script type="text/plain" data-purpose="session_replay">
  window.stewardDemo.replay = true;
  document.getElementById("replay-state").textContent = "running";
</script>
<script type="text/plain" data-purpose="targeted_advertising">
  window.stewardDemo.ads = true;
  document.getElementById("ads-state").textContent = "running";
</script>
<style>
  :root { color-scheme: light; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #f6f7f9; }
  header { background: #fff; border-bottom: 1px solid #dfe1e5; }
  .wrap { max-width: 1080px; margin: 0 auto; padding: 16px 20px; }
  header .wrap { display: flex; align-items: center; justify-content: space-between; gap: 16px; flex-wrap: wrap; }
  .logo { font-weight: 700; font-size: 1.25rem; color: #0b57d0; text-decoration: none; }
  nav ul { list-style: none; display: flex; gap: 12px; margin: 0; padding: 0; flex-wrap: wrap; }
  nav a { color: #1a1a1a; }
  nav a[aria-current="page"] { font-weight: 700; color: #0b57d0; }
  .hero { background: #0b57d0; color: #fff; }
  .hero h1 { font-size: clamp(1.6rem, 4vw, 2.4rem); margin: 24px 0 8px; }
  .hero p { max-width: 640px; margin: 0 0 24px; font-size: 1.1rem; }
  .cards { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 16px; }
  .card { background: #fff; border: 1px solid #dfe1e5; border-radius: 10px; padding: 16px; }
  .card h3 { margin: 0 0 4px; font-size: 1.05rem; }
  .meta { color: #41454b; margin: 0 0 8px; font-size: .9rem; }
  .panel { background: #fff; border: 1px solid #dfe1e5; border-radius: 10px; padding: 16px; margin: 24px 0 140px; }
  .panel dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
  .panel dt { font-weight: 600; }
  .panel dd { margin: 0; }
  button.link { font: inherit; color: #0b57d0; background: none; border: 0; padding: 0; text-decoration: underline; cursor: pointer; }
  a:focus-visible, button:focus-visible { outline: 3px solid #f9ab00; outline-offset: 2px; }
  footer { border-top: 1px solid #dfe1e5; background: #fff; }
</style>`;
  return `${pageStart([head])}<body>
<header><div class="wrap">
  <a class="logo" href="/demo">${org}</a>
  <nav aria-label="Where you are"><ul>${places.join("")}</ul></nav>
</div></header>
<main>
  <section class="hero"><div class="wrap">
    <h1>Learn something new this month</h1>
    <p>Short courses from universities and companies, at your own pace, with a certificate when you finish.</p>
  </div></section>
  <div class="wrap">
    <h2>Popular courses</h2>
    <ul class="cards">${cards}</ul>
    <section class="panel" aria-labelledby="panel-title">
      <h2 id="panel-title">What the privacy SDK did on this page</h2>
      <dl>
        <dt>Global Privacy Control</dt><dd id="gpc-state">…</dd>
        <dt>Session replay tag</dt><dd id="replay-state">not loaded</dd>
        <dt>Advertising tag</dt><dd id="ads-state">not loaded</dd>
        <dt>GPP string</dt><dd id="gpp-state">…</dd>
      </dl>
      <p><button type="button" class="link" id="open-choices">Change your privacy choices</button></p>
    </section>
  </div>
</main>
<footer><div class="wrap"><a href="/notice">Privacy notice</a></div></footer>
<script>
  document.getElementById("open-choices").addEventListener("click", () => window.steward.openPreferences());
  const show = () => {
    document.getElementById("gpc-state").textContent = window.steward.gpc ? "on — honoured as an opt-out of sale and sharing" : "off";
    window.__gpp("ping", (p) => { document.getElementById("gpp-state").textContent = p.gppString || "(none yet)"; });
  };
  window.addEventListener("steward:change", show);
  window.steward.ready.then(show);
</script>
</body>
</html>
`;
}
