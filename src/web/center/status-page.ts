/**
 * A request as its person follows it: the code to enter while it waits for one, then what it is, the due date, what
 * happens next and the timeline in plain words, and the download once the copy is ready. Everything comes from the
 * request service's person view; the page only puts it in the reader's words.
 */
import type { MessageKey } from "../../i18n/translate.ts";
import type { PersonView } from "../../requests/request-views.ts";
import { sayTimeline } from "../../requests/request-words.ts";
import { html } from "../html.ts";
import { type FieldError, fieldError } from "../layout.ts";
import { type CenterView, centerPage } from "./center-frame.ts";

export interface StatusExtras {
  readonly errors?: readonly FieldError[];
  /** Set after a new code was sent, or the request was just confirmed. */
  readonly notice?: "resent" | "confirmed";
  /** Until when the copy can be downloaded; absent when there is none (yet, or any more). */
  readonly packageUntil?: Date;
  readonly packageGone?: boolean;
  /**
   * Where to send the person once the code is right: an authorized agent's page (DRP 1.0 §3.02.1 `redirect_to`),
   * already checked to belong to an agent that follows this request.
   */
  readonly returnTo?: string | undefined;
}

const WORKING = new Set(["received", "verified", "in_progress", "awaiting_approval"]);
/** While the service works (minutes), the page follows it; a review by people can take days: no refreshing then. */
const REFRESHING = new Set(["verified", "in_progress"]);

export function statusPage(v: CenterView, view: PersonView, extras: StatusExtras = {}): string {
  const { t } = v;
  const type = t.t(`type.${view.asked}` as MessageKey);
  if (view.status === "awaiting_verification") return verifyPage(v, view, extras);
  const due = view.due_at
    ? view.paused
      ? t.t("center.status.due_paused", { date: t.date(view.due_at) })
      : t.date(view.due_at)
    : null;
  const main = html`
${
  extras.notice === "confirmed"
    ? html`<div class="banner-success" role="status"><h2>${t.t("center.status.submitted")}</h2><p>${t.t("center.status.submitted_text")}</p></div>`
    : ""
}
<h1>${t.t("center.status.title")}</h1>
<dl class="summary-list">
<dt>${t.t("center.status.what")}</dt><dd>${type}</dd>
<dt>${t.t("center.status.state")}</dt><dd><span class="tag${view.status === "completed" ? " done" : ""}">${t.t(`status.${view.status}` as MessageKey)}</span></dd>
<dt>${t.t("center.status.received")}</dt><dd>${t.date(view.received_at)}</dd>
${due && !view.closed_at ? html`<dt>${t.t("center.status.due")}</dt><dd><span class="due">${due}</span>${view.extended ? html`<br><span class="muted">${t.t("center.status.extended")}</span>` : ""}</dd>` : ""}
${view.reason ? html`<dt>${t.t("center.status.reason")}</dt><dd>${view.reason}</dd>` : ""}
<dt>${t.t("center.status.reference")}</dt><dd><code>${view.id}</code></dd>
</dl>
${
  extras.packageUntil
    ? html`<section class="panel ok" aria-labelledby="download-title"><h2 id="download-title">${t.t("center.status.download")}</h2>
<p>${t.t("center.status.download_hint", { date: t.date(extras.packageUntil) })}</p>
<p><a class="button" href="/requests/${view.id}/download" download>${t.t("center.status.download")}</a></p></section>`
    : extras.packageGone
      ? html`<p class="panel warn">${t.t("center.status.download_gone")}</p>`
      : ""
}
<h2>${t.t("center.status.next")}</h2>
<p>${extras.packageUntil ? t.t("center.status.next_download") : t.say(view.next_message)}</p>
<h2>${t.t("center.status.timeline")}</h2>
<ol class="timeline">${view.timeline.map(
    (e) => html`<li><time datetime="${e.at}">${t.dateTime(e.at)}</time>${sayTimeline(t, e.message)}</li>`,
  )}</ol>
${
  WORKING.has(view.status)
    ? html`<p><a href="/requests/${view.id}"${REFRESHING.has(view.status) ? html` data-refresh="5"` : ""}>${t.t("center.status.refresh")}</a></p>`
    : ""
}`;
  return centerPage(v, "request", t.t("center.status.title"), main, { script: REFRESHING.has(view.status) });
}

function verifyPage(v: CenterView, view: PersonView, extras: StatusExtras): string {
  const { t } = v;
  const error = fieldError(extras.errors, "code", t.t("common.error_prefix"));
  const main = html`
${extras.notice === "resent" ? html`<div class="banner-success" role="status"><p>${t.t("center.verify.resent")}</p></div>` : ""}
<h1>${t.t("center.verify.title")}</h1>
<p class="lead">${t.t("center.verify.sent")}</p>
<form method="post" action="/requests/${view.id}/verify" novalidate>
<div class="field${error ? " has-error" : ""}">
<label for="code">${t.t("center.verify.code")}</label>
<span class="hint" id="code-hint">${t.t("center.verify.code_hint")}</span>
${error}
<input class="code" type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="10" aria-describedby="code-hint${error ? " code-error" : ""}">
</div>
${extras.returnTo ? html`<input type="hidden" name="redirect_to" value="${extras.returnTo}">` : ""}
<button type="submit">${t.t("center.verify.submit")}</button>
</form>
<form method="post" action="/requests/${view.id}/resend">
<button type="submit" class="secondary">${t.t("center.verify.resend")}</button>
</form>`;
  return centerPage(v, "request", t.t("center.verify.title"), main, extras.errors ? { errors: extras.errors } : {});
}

export function unknownRequestPage(v: CenterView): string {
  const { t } = v;
  const main = html`<h1>${t.t("center.status.unknown_title")}</h1><p>${t.t("center.status.unknown")}</p>
<p><a class="button" href="/request">${t.t("center.nav.request")}</a></p>`;
  return centerPage(v, "request", t.t("center.status.unknown_title"), main);
}

/** A request of this kind for this address is already being answered: nothing of it is shown to whoever asked again. */
export function joinedPage(v: CenterView): string {
  const { t } = v;
  const main = html`<h1>${t.t("center.joined.title")}</h1><p class="lead">${t.t("center.joined.text")}</p>
<p><a href="/">${t.t("center.nav.home")}</a></p>`;
  return centerPage(v, "request", t.t("center.joined.title"), main);
}
