/** The notice page's own stylesheet, inlined so that the page stands alone (no network, no JavaScript). */
export const NOTICE_CSS = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #55607a; --bg: #ffffff; --panel: #f4f6fa; --line: #d5dae5;
  --accent: #1f5fbf; --accent-visited: #6a3fb0; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e9ef; --muted: #a9b3c7; --bg: #14171f; --panel: #1d2230; --line: #343b4d; --accent: #8db7ff;
    --accent-visited: #c3a8ff; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 1rem/1.6 system-ui, -apple-system, "Segoe UI",
  Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); text-underline-offset: 0.15em; }
a:visited { color: var(--accent-visited); }
a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; border-radius: 2px; }
.skip-link { position: absolute; left: -999px; top: 0; padding: 0.5rem 1rem; background: var(--bg); }
.skip-link:focus { left: 1rem; top: 1rem; z-index: 10; }
.notice-header, .layout, footer { max-width: 72rem; margin: 0 auto; padding: 0 1.25rem; }
.notice-header { padding-top: 2rem; padding-bottom: 1rem; border-bottom: 1px solid var(--line); }
.org { margin: 0; color: var(--muted); font-weight: 600; letter-spacing: 0.02em; }
h1 { margin: 0.25rem 0 0.5rem; font-size: 2rem; line-height: 1.2; }
.meta { margin: 0; color: var(--muted); }
.layout { display: grid; gap: 2.5rem; grid-template-columns: 1fr; padding-top: 1.5rem; }
@media (min-width: 60rem) {
  .layout { grid-template-columns: 17rem minmax(0, 1fr); }
  .toc { position: sticky; top: 1rem; align-self: start; max-height: calc(100vh - 2rem); overflow-y: auto; }
}
.toc { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem;
  font-size: 0.93rem; }
.toc h2 { margin: 0 0 0.5rem; font-size: 1rem; }
.toc ol { margin: 0; padding-left: 1.25rem; }
.toc ol ol { padding-left: 1rem; list-style: disc; font-size: 0.9em; }
.toc li { margin: 0.2rem 0; }
main { max-width: 46rem; min-width: 0; }
main > section { padding-bottom: 1.5rem; border-bottom: 1px solid var(--line); margin-bottom: 1.5rem; }
section { scroll-margin-top: 1rem; }
h2 { font-size: 1.45rem; line-height: 1.3; margin: 0.5rem 0 0.75rem; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 1.25rem 0 0.4rem; }
p, ul, dl { margin: 0 0 0.9rem; }
p, li, dd, td { overflow-wrap: break-word; }
li { margin: 0.25rem 0; }
dl { display: grid; grid-template-columns: minmax(8rem, 12rem) 1fr; gap: 0.35rem 1rem; }
dl > div { display: contents; }
dt { font-weight: 600; color: var(--muted); }
dd { margin: 0; }
@media (max-width: 36rem) {
  dl { grid-template-columns: 1fr; } dd { margin-bottom: 0.5rem; }
  h1 { font-size: 1.6rem; } table { font-size: 0.85rem; } th, td { padding: 0.35rem 0.45rem; }
}
.table-wrap { overflow-x: auto; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.93rem; }
caption { text-align: left; font-weight: 600; padding: 0 0 0.4rem; color: var(--muted); }
th, td { border: 1px solid var(--line); padding: 0.45rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: var(--panel); }
.to-top { font-size: 0.85rem; margin: 0.5rem 0 0; }
footer { color: var(--muted); font-size: 0.85rem; padding-top: 1rem; padding-bottom: 2rem; }
@media print { .toc, .skip-link, .to-top { display: none; } .layout { display: block; } a { color: inherit; } }
`;
