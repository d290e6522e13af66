/** Signing in to the console with an API key (a password field: the key is never shown or put in a URL). */
import { html } from "../html.ts";
import { type FieldError, fieldError } from "../layout.ts";
import { adminPage, type ConsoleView } from "./admin-frame.ts";

export function signInPage(v: ConsoleView, options: { errors?: FieldError[]; note?: "out" | "expired" } = {}): string {
  const { t } = v;
  const error = fieldError(options.errors, "key", t.t("common.error_prefix"));
  const main = html`
${options.note ? html`<div class="panel" role="status"><p>${t.t(options.note === "out" ? "admin.sign_in.out" : "admin.sign_in.expired")}</p></div>` : ""}
<h1>${t.t("admin.sign_in.title")}</h1>
<form method="post" action="/admin/sign-in" novalidate>
<div class="field${error ? " has-error" : ""}">
<label for="key">${t.t("admin.sign_in.key")}</label>
<span class="hint" id="key-hint">${t.t("admin.sign_in.key_hint")}</span>
${error}
<input type="password" id="key" name="key" autocomplete="current-password" spellcheck="false" aria-describedby="key-hint${error ? " key-error" : ""}">
</div>
<button type="submit">${t.t("admin.sign_in.submit")}</button>
</form>`;
  return adminPage(v, "none", t.t("admin.sign_in.title"), main, options.errors ? { errors: options.errors } : {});
}
