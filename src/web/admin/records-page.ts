/** The records: the data map drawn, the Art. 30 records to download, and the CCPA request metrics for a year. */
import type { MessageKey } from "../../i18n/translate.ts";
import type { CcpaMetrics } from "../../records/ccpa-metrics.ts";
import { html, trusted } from "../html.ts";
import { adminPage, type ConsoleView } from "./admin-frame.ts";

export function recordsPage(
  v: ConsoleView,
  data: { mapSvg: string; metrics: CcpaMetrics; years: readonly number[] },
): string {
  const { t } = v;
  const m = data.metrics;
  const days = (n: number | null) => (n === null ? "–" : t.number(n, { maximumFractionDigits: 1 }));
  const main = html`
<h1>${t.t("admin.records.title")}</h1>
<h2>${t.t("admin.records.map")}</h2>
<p class="muted">${t.t("admin.records.map_hint")}</p>
<figure class="graph" tabindex="0" role="img" aria-label="${t.t("admin.records.map")}">${trusted(data.mapSvg)}</figure>
<details><summary>${t.t("admin.records.map_list")}</summary>
<ul>${v.manifest.systems.map((s) => {
    const held = v.manifest.datasets.filter((d) => d.system === s.key).map((d) => d.fides_key);
    return html`<li><strong>${s.name}</strong> (${t.t(`admin.records.kind_${s.kind}` as MessageKey)})${held.length ? html` — ${held.join(", ")}` : ""}${s.countries.length ? html` — ${s.countries.join(", ")}${s.transfer_mechanisms.length ? html` (${s.transfer_mechanisms.join(", ")})` : ""}` : ""}</li>`;
  })}</ul></details>
<h2>${t.t("admin.records.ropa")}</h2>
<p><a class="button secondary" href="/admin/records/ropa.csv" download>${t.t("admin.records.ropa_csv")}</a>
<a class="button secondary" href="/admin/records/ropa.md" download>${t.t("admin.records.ropa_md")}</a></p>
<h2 id="ccpa">${t.t("admin.records.ccpa")}</h2>
<form method="get" action="/admin/records#ccpa" class="filters">
<div class="field"><label for="year">${t.t("admin.records.year")}</label>
<select id="year" name="year">${data.years.map((y) => html`<option value="${y}"${y === m.year ? html` selected` : ""}>${y}</option>`)}</select></div>
<button type="submit" class="secondary">${t.t("admin.records.show")}</button>
</form>
<p class="muted">${t.t("admin.records.as_of", { date: t.date(`${m.as_of}T12:00:00Z`) })}</p>
<div class="table-scroll" tabindex="0" role="region" aria-label="${t.t("admin.records.ccpa")}"><table id="ccpa-table">
<thead><tr><th scope="col">${t.t("admin.records.col_category")}</th><th scope="col">${t.t("admin.records.col_received")}</th><th scope="col">${t.t("admin.records.col_complied")}</th><th scope="col">${t.t("admin.records.col_part")}</th><th scope="col">${t.t("admin.records.col_denied")}</th><th scope="col">${t.t("admin.records.col_pending")}</th><th scope="col">${t.t("admin.records.col_median")}</th><th scope="col">${t.t("admin.records.col_mean")}</th></tr></thead>
<tbody>${m.categories.map(
    (c) =>
      html`<tr><th scope="row">${c.category}</th><td>${t.number(c.received)}</td><td>${t.number(c.complied)}</td><td>${t.number(c.complied_in_part)}</td><td>${t.number(c.denied)}</td><td>${t.number(c.pending)}</td><td>${days(c.days_to_respond.median)}</td><td>${days(c.days_to_respond.mean)}</td></tr>`,
  )}</tbody></table></div>
<p><a href="/admin/records/ccpa.csv?year=${m.year}" download>${t.t("admin.records.ccpa_csv")}</a></p>`;
  return adminPage(v, "records", t.t("admin.records.title"), main);
}
