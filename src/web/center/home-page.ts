/**
 * The privacy center's home: who the controller is, the rights where the visitor lives (which the visitor may change),
 * a short summary of the notice with a link to it, and the way to their choices.
 */
import type { MessageKey } from "../../i18n/translate.ts";
import { type NoticeDiff, sayChange } from "../../notice/diff-notice.ts";
import { deadlineRulesFor } from "../../requests/deadlines/index.ts";
import { html } from "../html.ts";
import { type CenterView, centerPage } from "./center-frame.ts";

/** How many purposes the summary names before pointing to the notice. */
const SUMMARY_SIZE = 6;

/** The material notice change to announce until it applies (src/notice/diff-notice.ts), if there is one. */
export interface UpcomingChange {
  readonly effective_date: string;
  readonly diff: NoticeDiff;
}

export function changeBanner(v: CenterView, upcoming: UpcomingChange | undefined) {
  if (!upcoming) return "";
  const { t } = v;
  const material = upcoming.diff.changes.filter((c) => c.material);
  return html`<section class="panel warn" aria-labelledby="change-title">
<h2 id="change-title">${t.t("center.change.title", { date: t.date(`${upcoming.effective_date}T12:00:00Z`) })}</h2>
<ul>${material.map((c) => html`<li>${sayChange(t, c)}</li>`)}</ul>
<p><a href="/notice/history">${t.t("center.change.more")}</a></p></section>`;
}

export function homePage(v: CenterView, upcoming?: UpcomingChange): string {
  const { t, manifest, rights } = v;
  const org = manifest.organization;
  const rule = deadlineRulesFor(rights.jurisdiction, rights);
  const deadline = t.plural(`period.${rule.respond.unit}`, rule.respond.amount);
  const shown = manifest.purposes.filter((p) => !p.processor_for).slice(0, SUMMARY_SIZE);
  const more = manifest.purposes.filter((p) => !p.processor_for).length - shown.length;
  const a = org?.address;
  const country = a ? (new Intl.DisplayNames(t.locale, { type: "region" }).of(a.country) ?? a.country) : "";
  const address = a ? [a.street, `${a.city}${a.region ? `, ${a.region}` : ""} ${a.postal_code}`, country] : [];
  const main = html`
<h1>${t.t("center.home.title", { org: org?.name ?? "" })}</h1>
<p class="lead">${t.t("center.home.lead")}</p>
${changeBanner(v, upcoming)}

<form method="get" action="/" class="filters" aria-labelledby="where-label">
<div class="field">
<label id="where-label" for="jurisdiction">${t.t("center.home.where")}</label>
<span class="hint" id="jurisdiction-hint">${t.t("center.home.where_hint")}</span>
<select id="jurisdiction" name="jurisdiction" aria-describedby="jurisdiction-hint">${manifest.rights.map(
    (r) =>
      html`<option value="${r.jurisdiction}"${r.jurisdiction === rights.jurisdiction ? html` selected` : ""}>${r.name}</option>`,
  )}</select>
</div>
<button type="submit" class="secondary">${t.t("center.home.show")}</button>
</form>

<h2>${t.t("center.home.rights", { place: rights.name })}</h2>
<p>${t.t("center.home.rights_law", { law: rights.law, deadline })}</p>
<ul class="grid" role="list">${rights.requests.map(
    (
      type,
    ) => html`<li class="card"><h3><a href="/request/details?type=${type}">${t.t(`type.${type}` as MessageKey)}</a></h3>
<p>${t.t(`center.explain.${type}` as MessageKey)}</p></li>`,
  )}</ul>
${rights.complaint_authorities.length ? html`<p>${t.t("center.home.complain", { authorities: rights.complaint_authorities.join(", ") })}</p>` : ""}

<div class="grid">
<section class="card" aria-labelledby="choices-title">
<h2 id="choices-title">${t.t("center.home.choices")}</h2>
<p>${t.t("center.home.choices_text")}</p>
<p><a class="button" href="/choices">${t.t("center.home.choices_link")}</a></p>
</section>
${
  org
    ? html`<section class="card" aria-labelledby="controller-title">
<h2 id="controller-title">${t.t("center.home.controller")}</h2>
<p>${t.t("center.home.controller_text", { legal: org.legal_name, email: org.contact_email })}</p>
<address>${address.filter(Boolean).map((line, i) => html`${i ? html`<br>` : ""}${line}`)}</address>
${org.dpo ? html`<p>${t.t("center.home.dpo", { name: org.dpo.name, email: org.dpo.email })}</p>` : ""}
</section>`
    : ""
}
</div>

<h2>${t.t("center.home.summary")}</h2>
<ul>${shown.map(
    (p) =>
      html`<li><strong>${p.name}</strong>${p.legal_basis ? html` — ${t.t("center.home.basis", { basis: t.t(`basis.${p.legal_basis}` as MessageKey) })}` : ""}</li>`,
  )}</ul>
${more > 0 ? html`<p>${t.t("center.home.summary_more", { count: more })}</p>` : ""}
<p><a href="/notice">${t.t("center.home.read_notice")}</a> · <a href="/notice/history">${t.t("center.home.history")}</a></p>`;
  return centerPage(v, "home", t.t("center.home.title", { org: org?.name ?? "" }), main);
}
