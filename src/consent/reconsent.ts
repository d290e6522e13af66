/**
 * When a consent no longer covers what a purpose does: a later notice version widened the purpose — more or
 * sensitive data, a new recipient or category of recipient, a new country outside the EEA for one of its recipients,
 * a sale or sharing, an automated decision — so a consent given under an earlier version must be asked for again
 * (GDPR Art. 4(11), 7: consent is specific and informed). Pure: from the published versions' diffs
 * (src/notice/diff-notice.ts), in publication order.
 */
import type { Manifest } from "../manifest/types.ts";
import type { NoticeDiff } from "../notice/diff-notice.ts";
import type { MaterialityRuleKey } from "../notice/materiality.ts";

/** The rules that widen a purpose itself. */
const WIDENS_PURPOSE: ReadonlySet<MaterialityRuleKey> = new Set([
  "more_data",
  "new_sensitive",
  "new_recipient",
  "new_recipient_kind",
  "new_sale_or_sharing",
  "new_automated_decision",
  "automated_decision_changed",
]);

/** The rules of a recipient's change that widen every purpose whose data it receives. */
const WIDENS_RECIPIENT: ReadonlySet<MaterialityRuleKey> = new Set([
  "new_third_country",
  "mechanism_dropped",
  "new_recipient_kind",
]);

export interface PublishedVersion {
  readonly version: string;
  readonly published_at: Date;
  readonly diff: NoticeDiff | null;
}

/**
 * Per purpose, the notice versions under which a consent to it no longer counts: every version published before the
 * latest one that widened it.
 */
export function staleConsents(manifest: Manifest, published: readonly PublishedVersion[]): Map<string, Set<string>> {
  const ordered = [...published].sort((a, b) => a.published_at.getTime() - b.published_at.getTime());
  const widenedAt = new Map<string, number>();
  ordered.forEach((v, i) => {
    for (const c of v.diff?.changes ?? []) {
      if (c.area === "purpose" && WIDENS_PURPOSE.has(c.rule)) widenedAt.set(c.key, i);
      if (c.area === "recipient" && WIDENS_RECIPIENT.has(c.rule))
        for (const p of manifest.purposes) if (p.recipients.includes(c.key)) widenedAt.set(p.key, i);
    }
  });
  const out = new Map<string, Set<string>>();
  for (const [purpose, at] of widenedAt) out.set(purpose, new Set(ordered.slice(0, at).map((v) => v.version)));
  return out;
}
