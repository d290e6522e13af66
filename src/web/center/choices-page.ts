/**
 * The visitor's choices where they live: each purpose with its effect now and why (the ledger's decision), a switch
 * for those that run on consent or an opt-out (set where the visitor's own choice stands), an objection for direct
 * marketing, the legitimate-interest uses open to an objection by request, the Global Privacy Control state when the
 * browser sends it, and the Data Privacy Framework choices for data that came from Europe. Which purpose gets which
 * control is the consent room's answer (src/consent/choices.ts); this page puts it in words.
 */
import { disclosedPurposes, dpfChoicesApply, hasObjected, preferenceKind, switchIsOn } from "../../consent/choices.ts";
import type { SubjectState } from "../../consent/consent-state.ts";
import type { Decision } from "../../consent/decide.ts";
import type { MessageKey, Translator } from "../../i18n/translate.ts";
import { isSaleOrSharing, sensitiveCategoriesOf } from "../../manifest/jurisdictions.ts";
import type { Purpose } from "../../manifest/types.ts";
import { html } from "../html.ts";
import { type CenterView, centerPage } from "./center-frame.ts";

export interface ChoicesView {
  readonly decisions: ReadonlyMap<string, Decision>;
  /** The visitor's derived state: where each switch stands. */
  readonly state: SubjectState;
  readonly gpc: boolean;
  readonly saved: boolean;
  /** The form token: a choice is only taken from this page. */
  readonly token: string;
  /** Purpose → notice versions under which a consent no longer counts. */
  readonly stale: (purpose: string) => ReadonlySet<string> | undefined;
}

export function decisionInWords(t: Translator, d: Decision, basis?: string): string {
  const since = d.since ? t.date(d.since) : "";
  return t.t(`decision.${d.code}` as MessageKey, {
    since,
    basis: basis ? t.t(`basis.${basis}` as MessageKey) : "",
  });
}

export function choicesPage(v: CenterView, c: ChoicesView): string {
  const { t, manifest, rights } = v;
  const kinds = new Map(manifest.purposes.map((p) => [p.key, preferenceKind(p, rights)]));
  const of = (kind: string) => manifest.purposes.filter((p) => kinds.get(p.key) === kind);
  const chosen = manifest.purposes.filter((p) => kinds.get(p.key) === "switch" || kinds.get(p.key) === "object");
  const weighed = of("request");
  const fixed = manifest.purposes.filter((p) => kinds.get(p.key) === "none" && !p.processor_for);
  const disclosed = disclosedPurposes(manifest, [...chosen, ...weighed]);
  const canObject = rights.requests.includes("objection");
  const row = (p: Purpose) => {
    const d = c.decisions.get(p.key);
    const kind = kinds.get(p.key);
    const id = `purpose-${p.key}`;
    const state = d ? t.t(d.allowed ? "center.choices.allowed" : "center.choices.blocked") : "";
    const marks = [
      isSaleOrSharing(p) ? t.t("center.choices.sale") : "",
      sensitiveCategoriesOf(p).length ? t.t("center.choices.sensitive") : "",
    ].filter(Boolean);
    const effect = d ? t.t("center.choices.now", { state, reason: decisionInWords(t, d, p.legal_basis) }) : "";
    if (kind === "object" && hasObjected(p, rights, c.state))
      return html`<li class="purpose"><h3>${p.name}</h3><p>${p.description}</p><p><strong>${effect}</strong></p></li>`;
    const on = kind === "switch" ? switchIsOn(p, rights, c.state, c.stale(p.key)) : false;
    return html`<li class="purpose">
<input type="hidden" name="shown" value="${p.key}">
<div class="choice">
<input type="checkbox" id="${id}" name="${kind === "switch" ? "allow" : "object"}" value="${p.key}"${on ? html` checked` : ""} aria-describedby="${id}-hint ${id}-now">
<label for="${id}"><strong>${t.t(kind === "switch" ? "center.choices.allow" : "center.choices.object", { purpose: p.name })}</strong>
${marks.map((m) => html`<span class="tag">${m}</span> `)}</label>
</div>
<p class="hint indent" id="${id}-hint">${p.description}</p>
<p class="muted indent" id="${id}-now">${effect}</p>
</li>`;
  };
  const main = html`
${c.saved ? html`<div class="banner-success" role="status"><p><strong>${t.t("center.choices.saved")}</strong></p><p>${t.t("center.choices.saved_text")}</p></div>` : ""}
<h1>${t.t("center.choices.title")}</h1>
<p class="lead">${t.t("center.choices.lead")}</p>
<p>${t.t("center.choices.where", { place: rights.name })} <a href="/">${t.t("center.request.change_place")}</a></p>
${
  c.gpc
    ? html`<section class="panel ok" aria-labelledby="gpc-title" data-gpc="on"><h2 id="gpc-title">${t.t("center.choices.gpc_title")}</h2><p>${t.t("center.choices.gpc_text")}</p></section>`
    : ""
}
<h2>${t.t("center.choices.optional")}</h2>
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
  weighed.length && canObject
    ? html`<section aria-labelledby="weighed-title"><h2 id="weighed-title">${t.t("center.choices.weighed_title")}</h2>
<p>${t.t("center.choices.weighed_text")}</p>
<ul>${weighed.map((p) => html`<li><strong>${p.name}</strong> — ${p.description}</li>`)}</ul>
<p><a class="button secondary" href="/request/details?type=objection">${t.t("type.objection")}</a></p></section>`
    : ""
}
${
  dpfChoicesApply(manifest, rights)
    ? html`<section aria-labelledby="dpf-title"><h2 id="dpf-title">${t.t("center.choices.dpf_title")}</h2>
<p>${t.t("center.choices.dpf_text")}</p>
${disclosed.length ? html`<p>${t.t("center.choices.dpf_purposes", { purposes: disclosed.map((p) => p.name).join(", ") })}</p>` : ""}
${canObject ? html`<p>${t.t("center.choices.dpf_other")} <a href="/request/details?type=objection">${t.t("type.objection")}</a></p>` : ""}</section>`
    : ""
}
<h2>${t.t("center.choices.fixed")}</h2>
<ul>${fixed.map((p) => {
    const d = c.decisions.get(p.key);
    return html`<li><strong>${p.name}</strong>${d ? html` — ${decisionInWords(t, d, p.legal_basis)}` : ""}</li>`;
  })}</ul>`;
  return centerPage(v, "choices", t.t("center.choices.title"), main);
}
