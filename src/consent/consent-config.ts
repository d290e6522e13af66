/**
 * What a banner or a preferences dialog offers in one jurisdiction: the purposes with a choice there (consent or
 * opt-out), each with its name, description, mechanism and whether it is a sale or sharing — from the manifest, so
 * that the SDK and the privacy center show exactly what the decision will honour. Pure.
 */
import { consentMechanism, isSaleOrSharing } from "../manifest/jurisdictions.ts";
import type { JurisdictionRights, Manifest } from "../manifest/types.ts";
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
}

export function consentConfig(manifest: Manifest, rights: JurisdictionRights | undefined): ConsentConfig {
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
  };
}
