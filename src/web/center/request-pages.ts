/**
 * Making a request, one question a page: what the person wants (only the types offered where they live, each in one
 * sentence), then what it needs — the e-mail address for the code (not when the host application signed them in),
 * the details to correct for a rectification, the form of the copy for portability. Plain forms: they work without
 * JavaScript, and the server checks every answer.
 */
import type { MessageKey } from "../../i18n/translate.ts";
import type { Manifest, RequestType } from "../../manifest/types.ts";
import { isPersonalField } from "../../plan/reference-graph.ts";
import { html } from "../html.ts";
import { type FieldError, fieldError } from "../layout.ts";
import { type CenterView, centerPage } from "./center-frame.ts";

/** The categories a person is offered to correct: names, contact details and demographics their account holds. */
const CORRECTABLE = /^user\.(name|contact|demographic)\b/;

export function correctableCategories(manifest: Manifest): { key: string; name: string }[] {
  const keys = new Set<string>();
  for (const d of manifest.datasets)
    for (const c of d.collections)
      for (const f of c.fields)
        if (isPersonalField(f) && !f.primary_key)
          for (const k of f.data_categories) if (CORRECTABLE.test(k)) keys.add(k);
  return [...keys].sort().map((key) => ({ key, name: manifest.taxonomy.data_categories.get(key)?.name ?? key }));
}

/** The field id of a category to correct (ids may not hold dots for the summary's links to be plain). */
export const setFieldId = (category: string) => `set-${category.replaceAll(".", "-")}`;

export function chooseTypePage(v: CenterView, errors?: readonly FieldError[]): string {
  const { t, rights } = v;
  const error = fieldError(errors, "type", t.t("common.error_prefix"));
  const main = html`
<form method="get" action="/request/details" novalidate>
<div class="field${error ? " has-error" : ""}">
<fieldset aria-describedby="type-hint${error ? " type-error" : ""}">
<legend><h1>${t.t("center.request.title")}</h1></legend>
<span class="hint" id="type-hint">${t.t("center.request.hint")} ${t.t("center.request.in", { place: rights.name })}
<a href="/">${t.t("center.request.change_place")}</a></span>
${error}
${rights.requests.map(
  (type, i) => html`<div class="choice">
<input type="radio" name="type" value="${type}" id="${i === 0 ? "type" : `type-${type}`}">
<label for="${i === 0 ? "type" : `type-${type}`}"><strong>${t.t(`type.${type}` as MessageKey)}</strong>
<span class="hint" id="type-${type}-hint">${t.t(`center.explain.${type}` as MessageKey)}</span></label>
</div>`,
)}
</fieldset>
</div>
<button type="submit">${t.t("common.continue")}</button>
</form>`;
  return centerPage(v, "request", t.t("center.request.title"), main, errors ? { errors } : {});
}

export interface DetailsForm {
  readonly email?: string;
  readonly set?: Readonly<Record<string, string>>;
  readonly delivery?: "file" | "send";
  readonly destination?: string;
}

export function detailsPage(
  v: CenterView,
  type: RequestType,
  form: DetailsForm,
  options: { errors?: readonly FieldError[]; signedInAs?: string } = {},
): string {
  const { t, manifest } = v;
  const errors = options.errors;
  const title = t.t(`type.${type}` as MessageKey);
  const emailError = fieldError(errors, "email", t.t("common.error_prefix"));
  const rectify =
    type === "rectification"
      ? html`<div class="field${fieldError(errors, "set", t.t("common.error_prefix")) ? " has-error" : ""}">
<fieldset aria-describedby="set-hint">
<legend id="set">${t.t("center.details.rect_legend")}</legend>
<span class="hint" id="set-hint">${t.t("center.details.rect_hint")}</span>
${fieldError(errors, "set", t.t("common.error_prefix"))}
${correctableCategories(manifest).map(
  (c) => html`<div class="field">
<label for="${setFieldId(c.key)}">${c.name} <span class="muted">${t.t("common.optional")}</span></label>
<input type="text" id="${setFieldId(c.key)}" name="set.${c.key}" value="${form.set?.[c.key] ?? ""}" autocomplete="off"${fieldError(errors, "set") ? html` aria-describedby="set-error"` : ""}>
</div>`,
)}
</fieldset>
</div>`
      : "";
  const destinationError = fieldError(errors, "destination", t.t("common.error_prefix"));
  const port =
    type === "portability"
      ? html`<div class="field">
<fieldset>
<legend>${t.t("center.details.port_legend")}</legend>
<div class="choice"><input type="radio" name="delivery" value="file" id="delivery"${form.delivery !== "send" ? html` checked` : ""}>
<label for="delivery"><strong>${t.t("center.details.port_file")}</strong><span class="hint" id="delivery-file-hint">${t.t("center.details.port_file_hint")}</span></label></div>
<div class="choice"><input type="radio" name="delivery" value="send" id="delivery-send"${form.delivery === "send" ? html` checked` : ""}>
<label for="delivery-send"><strong>${t.t("center.details.port_send")}</strong><span class="hint" id="delivery-send-hint">${t.t("center.details.port_send_hint")}</span></label></div>
</fieldset>
</div>
<div class="field${destinationError ? " has-error" : ""}">
<label for="destination">${t.t("center.details.destination")} <span class="muted">${t.t("common.optional")}</span></label>
<span class="hint" id="destination-hint">${t.t("center.details.destination_hint")}</span>
${destinationError}
<input type="url" id="destination" name="destination" value="${form.destination ?? ""}" aria-describedby="destination-hint${destinationError ? " destination-error" : ""}" inputmode="url" autocomplete="url">
</div>`
      : "";
  const main = html`
<p><a href="/request">${t.t("common.back")}</a></p>
<h1>${title}</h1>
<p class="lead">${t.t(`center.explain.${type}` as MessageKey)}</p>
<form method="post" action="/request" novalidate>
<input type="hidden" name="type" value="${type}">
<input type="hidden" name="jurisdiction" value="${v.rights.jurisdiction}">
${
  options.signedInAs
    ? html`<div class="panel ok"><p>${t.t("center.details.signed_in", { who: options.signedInAs })}</p></div>`
    : html`<div class="field${emailError ? " has-error" : ""}">
<label for="email">${t.t("center.details.email")}</label>
<span class="hint" id="email-hint">${t.t("center.details.email_hint")}</span>
${emailError}
<input type="email" id="email" name="email" value="${form.email ?? ""}" autocomplete="email" spellcheck="false" aria-describedby="email-hint${emailError ? " email-error" : ""}">
</div>`
}
${rectify}
${port}
<p class="muted">${t.t("center.details.what_next")}</p>
<button type="submit">${t.t("center.details.submit")}</button>
</form>`;
  return centerPage(v, "request", title, main, errors ? { errors } : {});
}

/** The summary's link for an error about the details to correct: the first of their inputs. */
export const setErrorHref = (manifest: Manifest): string => {
  const first = correctableCategories(manifest)[0];
  return first ? `#${setFieldId(first.key)}` : "#set";
};
