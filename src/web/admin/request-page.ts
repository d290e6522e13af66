/**
 * One request for an operator: the facts (identities masked), the actions the role and the status allow, the
 * timeline as the person reads it, the plan drawn as a graph, per collection what was read, deleted, masked or kept
 * and why, the legal holds and the audit events. Everything comes from the request service's admin view.
 */
import type { MessageKey } from "../../i18n/translate.ts";
import { availableActions } from "../../requests/admin-actions.ts";
import { DENIAL_REASONS } from "../../requests/denial-reasons.ts";
import type { AdminView } from "../../requests/request-views.ts";
import { sayTimeline } from "../../requests/request-words.ts";
import { type Html, html, trusted } from "../html.ts";
import { type FieldError, fieldError } from "../layout.ts";
import { adminPage, type ConsoleView, csrfField } from "./admin-frame.ts";
import { dueInWords } from "./queue-page.ts";

export interface RequestPageExtras {
  /** The plan as SVG (Graphviz), when the request type has one. */
  readonly planSvg?: string;
  readonly errors?: readonly FieldError[];
  /** The action just done, for the banner. */
  readonly done?: string;
  /** May this operator act (approver or admin)? */
  readonly canAct: boolean;
}

interface Counts {
  read?: number;
  deleted?: number;
  masked?: number;
  kept?: number;
  updated?: number;
}

function actionForm(
  v: ConsoleView,
  id: string,
  action: string,
  label: string,
  options: {
    reason?: string;
    hint?: string;
    warning?: boolean;
    confirm?: string;
    errors?: readonly FieldError[] | undefined;
    /** A choice of the kind of denial (DRP 1.0 §3.02), `other` preselected. */
    denial?: boolean;
  } = {},
): Html {
  const field = `${action}-reason`;
  const t = v.t;
  const kinds = options.denial
    ? html`<div class="field"><label for="${action}-denial">${t.t("admin.request.denial_kind")}</label><p class="muted" id="${action}-denial-hint">${t.t("admin.request.denial_hint")}</p><select id="${action}-denial" name="denial" aria-describedby="${action}-denial-hint">${DENIAL_REASONS.map(
        (k) =>
          html`<option value="${k}"${k === "other" ? html` selected` : ""}>${t.t(`admin.request.denial.${k}` as MessageKey)}</option>`,
      )}</select></div>`
    : "";
  const error = fieldError(options.errors, field, v.t.t("common.error_prefix"));
  const body = html`<form method="post" action="/admin/requests/${id}/${action}"${options.confirm ? html` data-confirm="${options.confirm}"` : ""}>
${csrfField(v)}
${options.hint ? html`<p class="muted">${options.hint}</p>` : ""}
${
  options.reason
    ? html`<div class="field${error ? " has-error" : ""}"><label for="${field}">${options.reason}</label>${error}<textarea id="${field}" name="reason" rows="2"></textarea></div>`
    : ""
}
${kinds}
<button type="submit"${options.warning ? html` class="warning"` : ""}>${label}</button>
</form>`;
  // An action that needs a reason folds away until it is wanted (a native <details>: no script needed).
  return options.reason
    ? html`<details class="action"${error ? html` open` : ""}><summary>${label}</summary>${body}</details>`
    : html`<div class="action">${body}</div>`;
}

export function requestPage(v: ConsoleView, r: AdminView, extras: RequestPageExtras): string {
  const { t, manifest } = v;
  const due = dueInWords(t, r);
  const outcome = (r.outcome ?? {}) as {
    collections?: Record<string, Counts>;
    unreached?: { collection: string; why: string }[];
    notes?: Record<string, string[]>;
    proof?: { complete: boolean; residual?: number };
    failed?: { dataset: string; why: string };
    exemptions?: string[];
  };
  const collections = Object.entries(outcome.collections ?? {});
  const errors = extras.errors;
  const can = new Set(extras.canAct ? availableActions(manifest, r) : []);
  const actions: Html[] = [];
  if (can.has("approve"))
    actions.push(
      actionForm(v, r.id, "approve", t.t("admin.request.approve"), { hint: t.t("admin.request.approve_hint") }),
    );
  if (can.has("deny"))
    actions.push(
      actionForm(v, r.id, "deny", t.t("admin.request.deny"), {
        reason: t.t("admin.request.deny_reason"),
        hint: t.t("admin.request.deny_hint"),
        warning: true,
        denial: true,
        errors,
      }),
    );
  if (can.has("extend"))
    actions.push(
      actionForm(v, r.id, "extend", t.t("admin.request.extend"), {
        reason: t.t("admin.request.extend_reason"),
        errors,
      }),
    );
  if (can.has("pause"))
    actions.push(
      actionForm(v, r.id, "pause", t.t("admin.request.pause"), { reason: t.t("admin.request.pause_reason"), errors }),
    );
  if (can.has("resume")) actions.push(actionForm(v, r.id, "resume", t.t("admin.request.resume")));
  if (can.has("cancel"))
    actions.push(
      actionForm(v, r.id, "cancel", t.t("admin.request.cancel"), {
        warning: true,
        confirm: t.t("admin.request.cancel_confirm"),
      }),
    );
  if (can.has("retry"))
    actions.push(actionForm(v, r.id, "retry", t.t("admin.request.retry"), { hint: t.t("admin.request.retry_hint") }));
  if (can.has("hold"))
    actions.push(
      actionForm(v, r.id, "hold", t.t("admin.request.hold"), {
        reason: t.t("admin.request.hold_reason"),
        hint: t.t("admin.request.hold_hint"),
        errors,
      }),
    );
  const main = html`
<p><a href="/admin">${t.t("admin.request.back")}</a></p>
${extras.done ? html`<div class="banner-success" role="status"><p>${t.t("admin.request.done", { action: extras.done })}</p></div>` : ""}
<h1>${t.t("admin.request.title", { id: r.id.slice(0, 8) })}</h1>
<div class="grid">
<section aria-labelledby="facts-title">
<h2 id="facts-title">${t.t("admin.request.facts")}</h2>
<dl class="summary-list">
<dt>${t.t("admin.request.type")}</dt><dd>${t.t(`type.${r.asked}` as MessageKey)}</dd>
<dt>${t.t("admin.request.status")}</dt><dd>${t.t(`status.${r.status}` as MessageKey)}</dd>
<dt>${t.t("admin.request.jurisdiction")}</dt><dd>${manifest.rights.find((x) => x.jurisdiction === r.jurisdiction)?.name ?? r.jurisdiction ?? ""}</dd>
<dt>${t.t("admin.request.received")}</dt><dd>${t.dateTime(r.received_at)}</dd>
<dt>${t.t("admin.request.due")}</dt><dd>${r.due_at ? t.date(r.due_at) : ""} <span class="tag${due.mark ? ` ${due.mark}` : ""}">${due.text}</span></dd>
${r.acknowledge_by ? html`<dt>${t.t("admin.request.acknowledge")}</dt><dd>${t.date(r.acknowledge_by)}</dd>` : ""}
<dt>${t.t("admin.request.identities")}</dt><dd>${Object.entries(r.identities).map(([k, x]) => html`<code>${k}</code> ${x}<br>`)}</dd>
<dt>${t.t("admin.request.verification")}</dt><dd>${
    r.verification.at
      ? t.t("admin.request.verified_by", {
          level: r.verification.level,
          method: r.verification.method ?? "",
          date: t.dateTime(r.verification.at),
        })
      : t.t("admin.request.not_verified", { level: r.verification.level })
  }</dd>
<dt>${t.t("admin.request.source")}</dt><dd>${r.source}${r.agent ? ` (${r.agent})` : ""}</dd>
${r.agents.map(
  (a) =>
    html`<dt>${t.t("admin.request.agent")}</dt><dd>${t.t("admin.request.agent_line", { agent: a.agent, exercise: a.exercise, regime: a.regime ?? "-" })}${
      a.power_of_attorney ? html`<br>${t.t("admin.request.power_of_attorney", { reference: a.power_of_attorney })}` : ""
    }${a.revoked_at ? html`<br>${t.t("admin.request.agent_revoked", { date: t.dateTime(a.revoked_at) })}` : ""}</dd>`,
)}
${r.reason ? html`<dt>${t.t("admin.request.reason")}</dt><dd>${r.reason}</dd>` : ""}
<dt>${t.t("admin.request.attempts")}</dt><dd>${t.number(r.attempts)}</dd>
${r.retry_at ? html`<dt>${t.t("admin.request.next_retry")}</dt><dd>${t.t("admin.request.next_retry_at", { date: t.dateTime(r.retry_at), n: t.number(r.auto_retries) })}</dd>` : ""}
</dl>
</section>
<section aria-labelledby="actions-title">
<h2 id="actions-title">${t.t("admin.request.actions")}</h2>
${extras.canAct ? actions : html`<p class="panel warn">${t.t("admin.viewer_note", { role: t.t(`admin.role.${v.session?.caller.role ?? "viewer"}` as MessageKey) })}</p>`}
${
  r.holds.length
    ? html`<h3>${t.t("admin.request.holds")}</h3><ul>${r.holds.map(
        (h) =>
          html`<li>${t.t("admin.request.hold_line", { date: t.date(h.placed_at), by: h.placed_by, reason: h.reason })}</li>`,
      )}</ul>`
    : ""
}
</section>
</div>

<h2>${t.t("admin.request.timeline")}</h2>
<ol class="timeline">${r.timeline.map((e) => html`<li><time datetime="${e.at}">${t.dateTime(e.at)}</time>${sayTimeline(t, e.message)}</li>`)}</ol>

<h2>${t.t("admin.request.answer")}</h2>
${
  collections.length
    ? html`<div class="table-scroll" tabindex="0" role="region" aria-label="${t.t("admin.request.answer")}"><table>
<thead><tr><th scope="col">${t.t("admin.request.col_collection")}</th><th scope="col">${t.t("admin.request.col_read")}</th><th scope="col">${t.t("admin.request.col_deleted")}</th><th scope="col">${t.t("admin.request.col_masked")}</th><th scope="col">${t.t("admin.request.col_kept")}</th><th scope="col">${t.t("admin.request.col_updated")}</th><th scope="col">${t.t("admin.request.col_why")}</th></tr></thead>
<tbody>${collections.map(
        ([name, c]) =>
          html`<tr><th scope="row"><code>${name}</code></th><td>${c.read ?? 0}</td><td>${c.deleted ?? 0}</td><td>${c.masked ?? 0}</td><td>${c.kept ?? 0}</td><td>${c.updated ?? 0}</td><td>${(outcome.notes?.[name] ?? []).join(" ")}</td></tr>`,
      )}</tbody></table></div>
${outcome.unreached?.length ? html`<h3>${t.t("admin.request.unreached")}</h3><ul>${outcome.unreached.map((u) => html`<li><code>${u.collection}</code>: ${u.why}</li>`)}</ul>` : ""}
${outcome.exemptions?.length ? html`<p>${t.t("admin.request.exemptions", { list: outcome.exemptions.join(", ") })}</p>` : ""}
${outcome.proof ? html`<p class="panel${outcome.proof.complete ? " ok" : " warn"}">${outcome.proof.complete ? t.t("admin.request.proof_ok") : t.t("admin.request.proof_bad", { residual: outcome.proof.residual ?? 0 })}</p>` : ""}
${outcome.failed ? html`<p class="panel warn">${t.t("admin.request.failed", { dataset: outcome.failed.dataset, why: outcome.failed.why })}</p>` : ""}`
    : html`<p>${t.t("admin.request.no_answer")}</p>`
}

${
  extras.planSvg
    ? html`<h2>${t.t("admin.request.plan")}</h2><p class="muted">${t.t("admin.request.plan_hint")}</p>
<figure class="graph" tabindex="0" role="img" aria-label="${t.t("admin.request.plan")}">${trusted(extras.planSvg)}</figure>
${r.plan ? html`<details><summary>${t.t("admin.request.plan_text")}</summary><pre>${r.plan}</pre></details>` : ""}`
    : ""
}

<h2>${t.t("admin.request.audit")}</h2>
<div class="table-scroll" tabindex="0" role="region" aria-label="${t.t("admin.request.audit")}"><table>
<thead><tr><th scope="col">${t.t("admin.request.col_at")}</th><th scope="col">${t.t("admin.request.col_actor")}</th><th scope="col">${t.t("admin.request.col_kind")}</th><th scope="col">${t.t("admin.request.col_payload")}</th></tr></thead>
<tbody>${r.audit.map(
    (e) =>
      html`<tr><td class="nowrap">${t.dateTime(e.at)}</td><td>${e.actor}</td><td><code>${e.kind}</code></td><td><code class="wrap">${JSON.stringify(e.payload)}</code></td></tr>`,
  )}</tbody></table></div>`;
  return adminPage(v, "queue", t.t("admin.request.title", { id: r.id.slice(0, 8) }), main, errors ? { errors } : {});
}
