/**
 * Consent for operators: events per day over the last weeks as a bar chart (SVG drawn here, no script), where people
 * stand now per purpose (the opt-out rate), events by method, and the share of withdrawals a Global Privacy Control
 * signal made. The figures come from the ledger's views (src/consent/consent-views.ts).
 */
import { type CountLine, type CurrentLine, consentSummary, type DayLine } from "../../consent/consent-views.ts";
import type { Translator } from "../../i18n/translate.ts";
import { type Html, html } from "../html.ts";
import { adminPage, type ConsoleView } from "./admin-frame.ts";

export const CHART_DAYS = 30;

const STACK = ["granted", "withdrawn", "objected", "other"] as const;
type Stack = (typeof STACK)[number];
const stackOf = (status: string): Stack =>
  status === "granted" || status === "withdrawn" || status === "objected" ? status : "other";

/** A stacked bar per day: width 880, height 240; the axis labels every week. */
export function dayChart(t: Translator, days: readonly DayLine[], until: Date): Html {
  const W = 880;
  const H = 240;
  const left = 44;
  const bottom = 28;
  const dates: string[] = [];
  for (let i = CHART_DAYS - 1; i >= 0; i--)
    dates.push(new Date(until.getTime() - i * 86_400_000).toISOString().slice(0, 10));
  const per = new Map<string, Record<Stack, number>>(
    dates.map((d) => [d, { granted: 0, withdrawn: 0, objected: 0, other: 0 }]),
  );
  for (const d of days) {
    const slot = per.get(d.day);
    if (slot) slot[stackOf(d.status)] += d.events;
  }
  const max = Math.max(1, ...[...per.values()].map((s) => s.granted + s.withdrawn + s.objected + s.other));
  const step = (W - left) / dates.length;
  const scale = (H - bottom - 10) / max;
  const bars = dates.map((d, i) => {
    let y = H - bottom;
    const slot = per.get(d) ?? { granted: 0, withdrawn: 0, objected: 0, other: 0 };
    return STACK.map((s) => {
      const h = slot[s] * scale;
      y -= h;
      return h > 0
        ? html`<rect class="bar-${s}" x="${(left + i * step + 1).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, step - 2).toFixed(1)}" height="${h.toFixed(1)}"><title>${t.date(`${d}T12:00:00Z`)}: ${slot[s]} ${t.t(`admin.consent.legend_${s}`)}</title></rect>`
        : "";
    });
  });
  const ticks = [0, Math.round(max / 2), max].map(
    (v) =>
      html`<text x="${left - 6}" y="${(H - bottom - v * scale + 4).toFixed(1)}" text-anchor="end" font-size="12" fill="#484949">${t.number(v)}</text>`,
  );
  const labels = dates.map((d, i) =>
    i % 7 === 0
      ? html`<text x="${(left + i * step + step / 2).toFixed(1)}" y="${H - 8}" text-anchor="middle" font-size="12" fill="#484949">${new Intl.DateTimeFormat(t.locale, { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(`${d}T12:00:00Z`))}</text>`
      : "",
  );
  return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">
<title id="chart-title">${t.t("admin.consent.chart")}</title><desc id="chart-desc">${t.t("admin.consent.chart_desc", { days: CHART_DAYS })}</desc>
<line x1="${left}" y1="${H - bottom}" x2="${W}" y2="${H - bottom}" stroke="#b1b4b6"/>${ticks}${bars}${labels}</svg>`;
}

export function consentPage(
  v: ConsoleView,
  data: {
    days: readonly DayLine[];
    counts: readonly CountLine[];
    current: readonly CurrentLine[];
    until: Date;
    /** The chart's filters. */
    purpose: string;
    method: string;
  },
): string {
  const { t, manifest } = v;
  const name = (key: string) => manifest.purposes.find((p) => p.key === key)?.name ?? key;
  const summary = consentSummary(data.counts, data.current);
  const pct = (share: number) => t.number(share, { style: "percent", maximumFractionDigits: 1 });
  const main = html`
<h1>${t.t("admin.consent.title")}</h1>
<p class="lead">${t.t("admin.consent.lead")}</p>
${
  data.counts.length === 0
    ? html`<p>${t.t("admin.consent.none")}</p>`
    : html`
<h2>${t.t("admin.consent.chart")} · ${t.t("admin.consent.period", { days: CHART_DAYS })}</h2>
<form method="get" action="/admin/consent" class="filters">
<div class="field"><label for="purpose">${t.t("admin.consent.col_purpose")}</label><select id="purpose" name="purpose">
<option value="">${t.t("admin.queue.any")}</option>${[...new Set(data.counts.map((c) => c.purpose))]
        .sort()
        .map(
          (p) => html`<option value="${p}"${p === data.purpose ? html` selected` : ""}>${name(p)}</option>`,
        )}</select></div>
<div class="field"><label for="method">${t.t("admin.consent.col_method")}</label><select id="method" name="method">
<option value="">${t.t("admin.queue.any")}</option>${summary.methods
        .map((m) => m.method)
        .sort()
        .map((m) => html`<option value="${m}"${m === data.method ? html` selected` : ""}>${m}</option>`)}</select></div>
<button type="submit" class="secondary">${t.t("admin.queue.apply")}</button>
</form>
<ul class="legend">${["granted", "withdrawn", "objected", "other"].map((s) => html`<li><span class="swatch ${s}"></span>${t.t(`admin.consent.legend_${s as Stack}`)}</li>`)}</ul>
<div class="chart">${dayChart(t, data.days, data.until)}</div>
<details><summary>${t.t("admin.consent.figures")}</summary>
<table><thead><tr><th scope="col">${t.t("admin.consent.col_day")}</th><th scope="col">${t.t("admin.consent.legend_granted")}</th><th scope="col">${t.t("admin.consent.legend_withdrawn")}</th><th scope="col">${t.t("admin.consent.legend_objected")}</th><th scope="col">${t.t("admin.consent.legend_other")}</th></tr></thead>
<tbody>${[...new Set(data.days.map((d) => d.day))].map((day) => {
        const n = (s: string) =>
          data.days
            .filter((d) => d.day === day && (s === "other" ? stackOf(d.status) === "other" : d.status === s))
            .reduce((a, d) => a + d.events, 0);
        return html`<tr><th scope="row">${t.date(`${day}T12:00:00Z`)}</th><td>${n("granted")}</td><td>${n("withdrawn")}</td><td>${n("objected")}</td><td>${n("other")}</td></tr>`;
      })}</tbody></table></details>
<section class="panel" aria-labelledby="gpc-title"><h2 id="gpc-title">${t.t("admin.consent.gpc_share")}</h2>
<p>${t.t("admin.consent.gpc_text", { share: pct(summary.gpc.share), gpc: t.number(summary.gpc.by_signal), all: t.number(summary.gpc.withdrawals) })}</p></section>
<h2>${t.t("admin.consent.rates")}</h2>
<div class="table-scroll" tabindex="0" role="region" aria-label="${t.t("admin.consent.rates")}"><table id="rates">
<thead><tr><th scope="col">${t.t("admin.consent.col_purpose")}</th><th scope="col">${t.t("admin.consent.col_granted")}</th><th scope="col">${t.t("admin.consent.col_withdrawn")}</th><th scope="col">${t.t("admin.consent.col_objected")}</th><th scope="col">${t.t("admin.consent.col_rate")}</th></tr></thead>
<tbody>${summary.purposes.map(
        (p) =>
          html`<tr><th scope="row">${name(p.purpose)}</th><td>${t.number(p.granted)}</td><td>${t.number(p.withdrawn)}</td><td>${t.number(p.objected)}</td><td>${pct(p.opt_out_rate)}</td></tr>`,
      )}</tbody></table></div>
<h2>${t.t("admin.consent.methods")}</h2>
<table><thead><tr><th scope="col">${t.t("admin.consent.col_method")}</th><th scope="col">${t.t("admin.consent.col_events")}</th></tr></thead>
<tbody>${summary.methods.map((m) => html`<tr><th scope="row"><code>${m.method}</code></th><td>${t.number(m.events)}</td></tr>`)}</tbody></table>`
}`;
  return adminPage(v, "consent", t.t("admin.consent.title"), main);
}
