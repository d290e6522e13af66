/**
 * The IAB Global Privacy Platform string for a person: the U.S. national section (`usnat`) and the state section of
 * their jurisdiction where GPP has one (`us_ca` → `usca`, `us_va` → `usva`, …), encoded with IAB's own library
 * (@iabgpp/cmpapi). Values come from the person's decisions:
 *
 * - the notice fields are 1 (given) where the manifest has such processing — every purpose is in the notice — and 0
 *   (not applicable) where it has none;
 * - an opt-out field is 1 (opted out) when every purpose it covers is denied for the person, 2 (did not opt out) when
 *   any runs, 0 when none exists — sale and sharing are the manifest's sale-or-sharing purposes, targeted
 *   advertising its uses under `marketing.advertising`;
 * - `Gpc` is true once a Global Privacy Control signal was received for the person;
 * - `MspaCoveredTransaction` is 2: the company has not signed the IAB's Multi-State Privacy Agreement (the manifest
 *   does not say so), so its two MSPA modes are 0.
 * Sensitive-data fields stay 0: mapping the manifest's categories onto GPP's fixed lists is not done yet.
 */
import { GppModel } from "@iabgpp/cmpapi";
import { isSaleOrSharing } from "../manifest/jurisdictions.ts";
import type { Manifest, Purpose } from "../manifest/types.ts";
import type { SubjectState } from "./consent-state.ts";
import type { Decision } from "./decide.ts";

export interface GppAnswer {
  readonly gpp: string;
  readonly applicable_sections: number[];
  /** The string decoded back by the same library: what a reader of it will see. */
  readonly sections: Record<string, Record<string, unknown>>;
}

const NA = 0;
const YES = 1;
const NO = 2;

const isTargeted = (p: Purpose) =>
  p.data_use === "marketing.advertising" || p.data_use.startsWith("marketing.advertising.");

/** The GPP section of a jurisdiction key (`us_ca` → `usca`), if it is a U.S. state. */
export const stateSection = (jurisdiction: string | null | undefined): string | undefined =>
  jurisdiction && /^us_[a-z]{2}$/.test(jurisdiction) ? jurisdiction.replace("_", "") : undefined;

export function encodeGpp(
  manifest: Manifest,
  decisions: readonly Decision[],
  state: SubjectState,
  jurisdiction: string | null,
): GppAnswer {
  const allowed = new Map(decisions.map((d) => [d.purpose, d.allowed]));
  const optOut = (test: (p: Purpose) => boolean) => {
    const covered = manifest.purposes.filter(test);
    if (covered.length === 0) return NA;
    return covered.every((p) => allowed.get(p.key) === false) ? YES : NO;
  };
  const notice = (test: (p: Purpose) => boolean) => (manifest.purposes.some(test) ? YES : NA);
  const limitOffered = manifest.rights.some(
    (r) => stateSection(r.jurisdiction) && r.requests.includes("limit_sensitive"),
  );
  const fields: Record<string, unknown> = {
    SharingNotice: notice(isSaleOrSharing),
    SaleOptOutNotice: notice(isSaleOrSharing),
    SharingOptOutNotice: notice(isSaleOrSharing),
    TargetedAdvertisingOptOutNotice: notice(isTargeted),
    SensitiveDataLimitUseNotice: limitOffered ? YES : NA,
    SaleOptOut: optOut(isSaleOrSharing),
    SharingOptOut: optOut(isSaleOrSharing),
    TargetedAdvertisingOptOut: optOut(isTargeted),
    MspaCoveredTransaction: NO,
    MspaOptOutOptionMode: NA,
    MspaServiceProviderMode: NA,
    Gpc: state.gpcAt.size > 0,
  };
  const model = new GppModel();
  const names = ["usnat", ...(stateSection(jurisdiction) ? [stateSection(jurisdiction) as string] : [])];
  for (const section of names)
    for (const [field, value] of Object.entries(fields)) {
      try {
        model.setFieldValue(section, field, value);
      } catch {
        // This section has no such field (the state laws differ); or GPP has no section for the state at all.
      }
    }
  const gpp = model.encode();
  const decoded = new GppModel(gpp);
  return {
    gpp,
    applicable_sections: decoded.getSectionIds() as number[],
    sections: decoded.toObject() as Record<string, Record<string, unknown>>,
  };
}
