/**
 * The report's stylesheet: the notice's (same look, light and dark, print) plus what a page of someone's own data
 * needs — a wider column for data tables, muted help text, and a visible mark where the records are silent.
 */
import { NOTICE_CSS } from "../notice/notice-css.ts";

export const REPORT_CSS = `${NOTICE_CSS}
.notice-header, .layout, footer { max-width: 84rem; }
main { max-width: 62rem; }
.lead { font-size: 1.08rem; }
.where, .file, .description { color: var(--muted); font-size: 0.9rem; margin-bottom: 0.5rem; }
.note { border-left: 4px solid var(--accent); padding: 0.35rem 0.75rem; background: var(--panel); }
.undeclared { color: var(--muted); font-style: italic; }
.more { font-weight: 600; }
.basis { color: var(--muted); font-size: 0.92em; }
section.collection, section.category { border-top: 1px solid var(--line); padding-top: 0.25rem; margin-top: 1.5rem; }
table.record th[scope="row"] { width: 13rem; background: var(--panel); font-weight: 600; }
table.record td.help { color: var(--muted); font-size: 0.88rem; width: 40%; }
table.rows { font-size: 0.86rem; }
table.rows time, table.record time { white-space: nowrap; }
.lines { white-space: pre-line; }
table.rows tbody tr:nth-child(even) { background: var(--panel); }
table.rows th[title] { text-decoration: underline dotted; text-underline-offset: 0.2em; cursor: help; }
.kind { display: inline-block; font-size: 0.8rem; padding: 0 0.45rem; margin: 0.1rem 0.2rem 0 0; border: 1px solid
  var(--line); border-radius: 999px; text-decoration: none; white-space: nowrap; }
details.columns { margin: 0 0 0.75rem; font-size: 0.9rem; }
details.columns summary { cursor: pointer; color: var(--muted); font-weight: 600; }
details.columns dl { margin-top: 0.5rem; }
ul.cols { columns: 2 16rem; column-gap: 2rem; padding-left: 1.1rem; margin: 0; }
ul.cols li { break-inside: avoid; margin: 0 0 0.3rem; }
.value-list { margin: 0; padding-left: 1.1rem; }
dl.value-object { display: grid; grid-template-columns: auto 1fr; gap: 0 0.6rem; margin: 0; font-size: 0.9em; }
dl.value-object dt { font-weight: 600; }
.none { color: var(--muted); }
code { font-size: 0.88em; background: var(--panel); padding: 0.05rem 0.3rem; border-radius: 4px; }
.files li code { font-weight: 600; }
@media (max-width: 36rem) {
  table.record thead { display: none; }
  table.record, table.record tbody, table.record tr, table.record th, table.record td { display: block; width: auto; }
  table.record tr { border: 1px solid var(--line); border-radius: 6px; margin-bottom: 0.5rem; }
  table.record caption { display: block; }
  table.record th, table.record td { border: none; }
  table.record th[scope="row"] { width: auto; border-radius: 6px 6px 0 0; }
  table.record td.help { width: auto; padding-top: 0; }
}
@media print { details.columns summary { display: none; } }
`;
