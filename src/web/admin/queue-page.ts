/**
 * The queue: requests matching the filters, open ones first and the soonest due at the top (the service's order),
 * overdue and due-this-week marked in words and colour, with counts by status.
 */
import type { MessageKey, Translator } from "../../i18n/translate.ts";
import { REQUEST_TYPES } from "../../manifest/types.ts";
import { REQUEST_STATUSES } from "../../requests/lifecycle.ts";
import type { RequestList, RequestSummary } from "../../requests/request-views.ts";
import { html } from "../html.ts";
import { adminPage, type ConsoleView } from "./admin-frame.ts";

export interface QueueFilters {
  /** "open" (default), "all", or one status. */
  readonly status: string;
  readonly type: string;
  readonly jurisdiction: string;
  readonly overdue: boolean;
}

/** "3 days overdue" / "due today" / "5 days left" / "clock paused". */
export function dueInWords(t: Translator, r: RequestSummary): { text: string; mark: "overdue" | "soon" | "" } {
  if (r.closed_at) return { text: t.t("admin.queue.closed", { date: t.date(r.closed_at) }), mark: "" };
  if (r.paused) return { text: t.t("admin.queue.paused"), mark: "" };
  if (r.days_left === null) return { text: t.t("admin.queue.no_due"), mark: "" };
  if (r.overdue) return { text: t.plural("admin.queue.overdue", Math.max(1, -r.days_left)), mark: "overdue" };
  if (r.days_left === 0) return { text: t.t("admin.queue.due_today"), mark: "soon" };
  return { text: t.plural("admin.queue.days_left", r.days_left), mark: r.days_left < 7 ? "soon" : "" };
}

const select = (id: string, label: string, current: string, options: readonly { value: string; label: string }[]) =>
  html`<div class="field"><label for="${id}">${label}</label><select id="${id}" name="${id}">${options.map(
    (o) => html`<option value="${o.value}"${o.value === current ? html` selected` : ""}>${o.label}</option>`,
  )}</select></div>`;

export function queuePage(
  v: ConsoleView,
  list: RequestList,
  filters: QueueFilters,
  openCounts: { overdue: number; week: number },
): string {
  const { t, manifest } = v;
  const main = html`
<h1>${t.t("admin.queue.title")}</h1>
<p class="lead">${t.t("admin.queue.lead")}</p>
<ul class="counts" aria-label="${t.t("admin.queue.counts")}">
<li><strong>${t.number(openCounts.overdue)}</strong>${t.t("admin.queue.overdue_count")}</li>
<li><strong>${t.number(openCounts.week)}</strong>${t.t("admin.queue.week_count")}</li>
${Object.entries(list.counts).map(([status, n]) => html`<li><strong>${t.number(n)}</strong>${t.t(`status.${status}` as MessageKey)}</li>`)}
<li><strong>${t.number(list.total)}</strong>${t.t("admin.queue.total")}</li>
</ul>
<form method="get" action="/admin" class="filters" aria-label="${t.t("admin.queue.filters")}">
${select("status", t.t("admin.queue.status"), filters.status, [
  { value: "open", label: t.t("admin.queue.status_open") },
  { value: "all", label: t.t("admin.queue.status_all") },
  ...REQUEST_STATUSES.map((s) => ({ value: s, label: t.t(`status.${s}` as MessageKey) })),
])}
${select("type", t.t("admin.queue.type"), filters.type, [
  { value: "", label: t.t("admin.queue.any") },
  ...REQUEST_TYPES.map((s) => ({ value: s, label: t.t(`type.${s}` as MessageKey) })),
])}
${select("jurisdiction", t.t("admin.queue.jurisdiction"), filters.jurisdiction, [
  { value: "", label: t.t("admin.queue.any") },
  ...manifest.rights.map((r) => ({ value: r.jurisdiction, label: r.name })),
])}
<div class="choice"><input type="checkbox" id="overdue" name="overdue" value="1"${filters.overdue ? html` checked` : ""}><label for="overdue">${t.t("admin.queue.overdue_only")}</label></div>
<button type="submit" class="secondary">${t.t("admin.queue.apply")}</button>
</form>
${
  list.requests.length
    ? html`<div class="table-scroll" tabindex="0" role="region" aria-label="${t.t("admin.queue.title")}"><table id="queue">
<caption>${t.t("admin.queue.caption", { count: t.number(list.total) })}</caption>
<thead><tr><th scope="col">${t.t("admin.queue.col_due")}</th><th scope="col">${t.t("admin.queue.col_type")}</th><th scope="col">${t.t("admin.queue.col_jurisdiction")}</th><th scope="col">${t.t("admin.queue.col_status")}</th><th scope="col" class="hide-narrow">${t.t("admin.queue.col_received")}</th><th scope="col">${t.t("admin.queue.col_request")}</th></tr></thead>
<tbody>${list.requests.map((r) => {
        const due = dueInWords(t, r);
        return html`<tr class="${due.mark}" data-id="${r.id}" data-due="${r.due_at ?? ""}">
<td><span class="tag${due.mark ? ` ${due.mark}` : ""}">${due.text}</span>${r.due_at && !r.closed_at ? html`<br><span class="muted">${t.date(r.due_at)}</span>` : ""}</td>
<td>${t.t(`type.${r.asked}` as MessageKey)}</td>
<td>${manifest.rights.find((x) => x.jurisdiction === r.jurisdiction)?.name ?? r.jurisdiction ?? ""}</td>
<td>${t.t(`status.${r.status}` as MessageKey)}</td>
<td class="hide-narrow">${t.date(r.received_at)}</td>
<td><a href="/admin/requests/${r.id}" aria-label="${t.t("admin.queue.open_request", { id: r.id.slice(0, 8) })}"><code>${r.id.slice(0, 8)}</code></a></td>
</tr>`;
      })}</tbody></table></div>`
    : html`<p>${t.t("admin.queue.empty")}</p>`
}`;
  return adminPage(v, "queue", t.t("admin.queue.title"), main);
}
