/**
 * The visitor's choices where they live: each purpose with its effect now and why (the ledger's decision), a switch
 * for those that run on consent or an opt-out, an objection for those open to one, the Global Privacy Control state
 * when the browser sends it, and the Data Privacy Framework choices for data that came from Europe.
 */
import { choicesOffered } from "../../consent/choices.ts";
import type { Decision } from "../../consent/decide.ts";
import type { MessageKey, Translator } from "../../i18n/translate.ts";
import {
  isDirectMarketing,
  isSaleOrSharing,
  regionCovers,
  sensitiveCategoriesOf,
} from "../../manifest/jurisdictions.ts";
import type { Purpose } from "../../manifest/types.ts";
import { html } from "../html.ts";
import { type CenterView, centerPage } from "./center-frame.ts";

export interface ChoicesView {
  readonly decisions: ReadonlyMap<string, Decision>;
  /** Purposes the visitor objected to (an objection stays until an operator lifts it). */
  readonly objected: ReadonlySet<string>;
  readonly gpc: boolean;
  readonly saved: boolean;
  /** The form token: a choice is only taken from this page. */
  readonly token: string;
}

/**
 * How a purpose is chosen on the page: a switch (consent or opt-out); an objection that takes effect at once (direct
 * marketing, GDPR Art. 21(3)); an objection the privacy team weighs against compelling grounds (Art. 21(1)), made as
 * a request; or no choice at all. The same split as the objection request's (src/consent/choices.ts).
 */
export function choiceKind(p: Purpose, rights: CenterView["rights"]): "switch" | "object" | "request" | "none" {
  const offered = choicesOffered(p, rights);
  if (offered.includes("granted")) return "switch";
  if (offered.includes("objected")) return isDirectMarketing(p) ? "object" : "request";
  return "none";
}

export function decisionInWords(t: Translator, d: Decision, basis?: string): string {
  const since = d.since ? t.date(d.since) : "";
  return t.t(`decision.${d.code}` as MessageKey, {
    since,
    basis: basis ? t.t(`basis.${basis}` as MessageKey) : "",
  });
}

const EUROPE = ["DE", "GB", "CH"];

export function choicesPage(v: CenterView, c: ChoicesView): string {
  const { t, manifest, rights } = v;
  const purposes = manifest.purposes.filter((p) => !p.processor_for);
  const chosen = purposes.filter((p) => choiceKind(p, rights) === "switch" || choiceKind(p, rights) === "object");
  const weighed = purposes.filter((p) => choiceKind(p, rights) === "request");
  const fixed = purposes.filter((p) => choiceKind(p, rights) === "none");
  const outside = new Set(
    manifest.systems.filter((x) => x.kind === "third_party" || x.kind === "controller").map((x) => x.key),
  );
  const disclosed = [...chosen, ...weighed].filter((p) => p.recipients.some((r) => outside.has(r)));
  const dpf =
    (manifest.organization?.transfers?.mechanisms ?? []).some((m) => m.includes("dpf")) &&
    EUROPE.some((country) => regionCovers(rights, country));
  const row = (p: Purpose) => {
    const d = c.decisions.get(p.key);
    const kind = choiceKind(p, rights);
    const id = `purpose-${p.key}`;
    const state = d ? t.t(d.allowed ? "center.choices.allowed" : "center.choices.blocked") : "";
    const marks = [
      isSaleOrSharing(p) ? t.t("center.choices.sale") : "",
      sensitiveCategoriesOf(p).length ? t.t("center.choices.sensitive") : "",
    ].filter(Boolean);
    const effect = d ? t.t("center.choices.now", { state, reason: decisionInWords(t, d, p.legal_basis) }) : "";
    if (kind === "object" && c.objected.has(p.key))
      return html`<li class="purpose"><h3>${p.name}</h3><p>${p.description}</p><p><strong>${effect}</strong></p></li>`;
    return html`<li class="purpose">
<input type="hidden" name="shown" value="${p.key}">
<div class="choice">
<input type="checkbox" id="${id}" name="${kind === "switch" ? "allow" : "object"}" value="${p.key}"${
      (kind === "switch" ? d?.allowed : c.objected.has(p.key)) ? html` checked` : ""
    } aria-describedby="${id}-hint ${id}-now">
<label for="${id}"><strong>${t.t(kind === "switch" ? "center.choices.allow" : "center.choices.object", { purpose: p.name })}</strong>
${marks.map((m) => html`<span class="tag">${m}</span> `)}
<span class="hint" id="${id}-hint">${p.description}</span></label>
</div>
<p class="muted" id="${id}-now">${effect}</p>
</li>`;
  };
  const main = html`
${c.saved ? html`<div class="banner-success" role="status"><h2>${t.t("center.choices.saved")}</h2><p>${t.t("center.choices.saved_text")}</p></div>` : ""}
<h1>${t.t("center.choices.title")}</h1>
<p class="lead">${t.t("center.choices.lead")}</p>
<p>${t.t("center.choices.where", { place: rights.name })} <a href="/">${t.t("center.request.change_place")}</a></p>
${
  c.gpc
    ? html`<section class="panel ok" aria-labelledby="gpc-title" data-gpc="on"><h2 id="gpc-title">${t.t("center.choices.gpc_title")}</h2><p>${t.t("center.choices.gpc_text")}</p></section>`
    : ""
}
${
  chosen.length
    ? html`<form method="post" action="/choices" novalidate>
<input type="hidden" name="token" value="${c.token}">
<input type="hidden" name="jurisdiction" value="${rights.jurisdiction}">
<ul class="purposes" role="list">${chosen.map(row)}</ul>
<button type="submit">${t.t("center.choices.save")}</button>
</form>`
    : html`<p>${t.t("center.choices.none")}</p>`
}
${
  dpf
    ? html`<section aria-labelledby="dpf-title"><h2 id="dpf-title">${t.t("center.choices.dpf_title")}</h2>
<p>${t.t("center.choices.dpf_text")}</p>
${disclosed.length ? html`<p>${t.t("center.choices.dpf_purposes", { purposes: disclosed.map((p) => p.name).join(", ") })}</p>` : ""}
<p>${t.t("center.choices.dpf_other")} <a href="/request/details?type=objection">${t.t("type.objection")}</a></p></section>`
    : ""
}
${
  weighed.length
    ? html`<section aria-labelledby="weighed-title"><h2 id="weighed-title">${t.t("center.choices.weighed_title")}</h2>
<p>${t.t("center.choices.weighed_text")}</p>
<ul>${weighed.map((p) => html`<li><strong>${p.name}</strong> — ${p.description}</li>`)}</ul>
<p><a class="button secondary" href="/request/details?type=objection">${t.t("type.objection")}</a></p></section>`
    : ""
}
<h2>${t.t("center.choices.fixed")}</h2>
<ul>${fixed.map((p) => {
    const d = c.decisions.get(p.key);
    return html`<li><strong>${p.name}</strong>${d ? html` — ${decisionInWords(t, d, p.legal_basis)}` : ""}</li>`;
  })}</ul>`;
  return centerPage(v, "choices", t.t("center.choices.title"), main);
}
