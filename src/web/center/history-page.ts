/**
 * The notice's revision history: the version in force, every earlier version the manifest lists with its date and
 * what changed (marked when the change was material), and for each version this Steward published after another,
 * the structured diff against it (src/notice/diff-notice.ts) in the reader's words, material changes first.
 */
import type { Manifest } from "../../manifest/types.ts";
import { type NoticeDiff, sayChange } from "../../notice/diff-notice.ts";
import type { NoticeVersionSummary } from "../../store/sql/list-notice-versions.ts";
import { html } from "../html.ts";
import { type CenterView, centerPage } from "./center-frame.ts";

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

export function historyPage(v: CenterView, manifest: Manifest, published: readonly NoticeVersionSummary[]): string {
  const { t } = v;
  const notice = manifest.notice;
  const main = html`
<h1>${t.t("center.history.title")}</h1>
<p class="lead">${t.t("center.history.lead")}</p>
${
  notice
    ? html`<section class="panel ok" aria-labelledby="current-title">
<h2 id="current-title">${t.t("center.history.effective", { date: t.date(day(notice.effective_date)) })} · ${t.t("center.history.current")}</h2>
<p><a href="/notice">${notice.title}</a></p>
${published
  .filter((p) => p.version === notice.version)
  .slice(0, 1)
  .map((p) => html`<p class="muted">${t.t("center.history.recorded", { date: t.date(p.published_at) })}</p>`)}
</section>`
    : ""
}
${published
  .filter((p) => (p.diff as NoticeDiff | null)?.changes.length)
  .map((p) => {
    const diff = p.diff as NoticeDiff;
    return html`<section class="card" aria-labelledby="v-${p.version}">
<h2 id="v-${p.version}">${t.t("center.history.effective", { date: t.date(day(p.effective_date)) })}${p.material ? html` <span class="tag soon">${t.t("center.history.material")}</span>` : ""}</h2>
<p class="muted">${t.t("center.history.recorded", { date: t.date(p.published_at) })} · <a href="/notice/versions/${encodeURIComponent(p.version)}">${t.t("center.history.read")}</a></p>
<ul>${[...diff.changes]
      .sort((a, b) => Number(b.material) - Number(a.material))
      .map(
        (c) =>
          html`<li>${sayChange(t, c)} <span class="muted">(${t.t(c.material ? "diff.material" : "diff.not_material")})</span></li>`,
      )}</ul></section>`;
  })}
${
  notice?.revisions.length
    ? html`<ol class="timeline" aria-label="${t.t("center.history.changes")}">${notice.revisions.map(
        (r) => html`<li><time datetime="${r.date}">${t.date(day(r.date))}</time>
<span class="tag${r.material ? " soon" : ""}">${t.t(r.material ? "center.history.material" : "center.history.minor")}</span>
<p>${r.summary}</p></li>`,
      )}</ol>`
    : html`<p>${t.t("center.history.none")}</p>`
}`;
  return centerPage(v, "notice", t.t("center.history.title"), main);
}
