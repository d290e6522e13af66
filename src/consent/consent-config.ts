/**
 * What a banner or a preferences dialog offers in one jurisdiction: the purposes with a choice there (consent or
 * opt-out), each with its name, description, mechanism and whether it is a sale or sharing — from the manifest, so
 * that the SDK and the privacy center show exactly what the decision will honour. Pure.
 */

import { ENGLISH } from "../i18n/translate.ts";
import { consentMechanism, isSaleOrSharing } from "../manifest/jurisdictions.ts";
import type { JurisdictionRights, Manifest } from "../manifest/types.ts";
import { type NoticeDiff, sayChange } from "../notice/diff-notice.ts";
import { choicesOffered } from "./choices.ts";

export interface ChoiceOffered {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly mechanism: "opt_in" | "opt_out" | "notice_only";
  readonly sale_or_sharing: boolean;
}

export interface ConsentConfig {
  readonly organization: string;
  readonly jurisdiction: { readonly key: string; readonly name: string } | null;
  readonly notice_version: string | null;
  readonly notice_url: string;
  readonly purposes: ChoiceOffered[];
  /** A material change to the notice not yet in effect: the SDK shows a banner about it until that day. */
  readonly notice_change: NoticeChangeBanner | null;
}

export interface NoticeChangeBanner {
  readonly version: string;
  /** `YYYY-MM-DD`. */
  readonly effective_date: string;
  /** Where the new version can be read. */
  readonly url: string;
  /** The material changes in plain words. */
  readonly changes: string[];
}

/** The banner's facts for an upcoming material change (see `upcomingMaterialChange`). */
export function noticeChangeBanner(
  upcoming: { readonly version: string; readonly effective_date: string; readonly diff: NoticeDiff } | undefined,
): NoticeChangeBanner | null {
  if (!upcoming) return null;
  return {
    version: upcoming.version,
    effective_date: upcoming.effective_date,
    url: `/notice/versions/${encodeURIComponent(upcoming.version)}`,
    changes: upcoming.diff.changes.filter((c) => c.material).map((c) => sayChange(ENGLISH, c)),
  };
}

export function consentConfig(
  manifest: Manifest,
  rights: JurisdictionRights | undefined,
  noticeChange: NoticeChangeBanner | null = null,
): ConsentConfig {
  return {
    organization: manifest.organization?.name ?? "",
    jurisdiction: rights ? { key: rights.jurisdiction, name: rights.name } : null,
    notice_version: manifest.notice?.version ?? null,
    notice_url: "/notice",
    purposes: manifest.purposes
      .filter((p) => choicesOffered(p, rights).includes("granted"))
      .map((p) => ({
        key: p.key,
        name: p.name,
        description: p.description,
        mechanism: consentMechanism(p, rights).mechanism,
        sale_or_sharing: isSaleOrSharing(p),
      })),
    notice_change: noticeChange,
  };
}
