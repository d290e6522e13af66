/**
 * This company's entry for the DRP network's business discovery document (DRP 1.0 §3.05.2): what `steward drp
 * business-document` prints for the network's operators. `supported_actions` are the DRP actions whose request type
 * the manifest offers under the CCPA regime (California's jurisdiction), else in the default one.
 */

import { choicesOffered } from "../consent/choices.ts";
import { knownIdentityTypes } from "../engine/identities.ts";
import { isSaleOrSharing, regionCovers } from "../manifest/jurisdictions.ts";
import type { JurisdictionRights, Manifest } from "../manifest/types.ts";
import type { DrpConfig } from "./drp-config.ts";
import { DRP_ACTIONS } from "./exercise-claims.ts";

export interface BusinessDocument {
  readonly id: string;
  readonly name: string;
  readonly logo: string | null;
  readonly api_base: string;
  readonly supported_actions: readonly string[];
  readonly supported_verifications: readonly string[];
  readonly web_url: string | undefined;
  readonly technical_contact: string;
  readonly business_contact: string;
}

/** The rights offered under the CCPA: the jurisdiction covering US-CA, else the default (first) one. */
export function ccpaRights(manifest: Manifest): JurisdictionRights | undefined {
  return manifest.rights.find((r) => regionCovers(r, "US-CA")) ?? manifest.rights[0];
}

/**
 * The DRP actions this deployment takes: those whose request type is offered under the CCPA; `sale:opt-in` besides
 * needs a purpose that sells or shares personal data, for the person to opt in to.
 */
export function supportedActions(manifest: Manifest): string[] {
  const offered = ccpaRights(manifest)?.requests ?? [];
  return Object.entries(DRP_ACTIONS)
    .filter(([action, type]) => offered.includes(type) && !(action === "sale:opt-in" && optInUnavailable(manifest)))
    .map(([action]) => action);
}

/** Why `sale:opt-in` is not taken here, in words, or undefined when it is. */
export function optInUnavailable(manifest: Manifest): string | undefined {
  const rights = ccpaRights(manifest);
  if (!rights?.requests.includes("opt_out_sale_sharing"))
    return `the manifest offers no choice about the sale and sharing of personal data under ${rights?.law ?? "the CCPA"} (no opt_out_sale_sharing in its rights)`;
  const purposes = manifest.purposes.filter(
    (p) => isSaleOrSharing(p) && !p.processor_for && choicesOffered(p, rights).includes("granted"),
  );
  if (purposes.length === 0)
    return "no purpose of the manifest sells or shares personal data (sale_or_sharing, or a data use under marketing.advertising), so there is nothing to opt in to";
  return undefined;
}

export function businessDocument(manifest: Manifest, config: DrpConfig, publicUrl: string): BusinessDocument {
  const org = manifest.organization;
  const identities = knownIdentityTypes(manifest);
  const contact = org?.contact_email ?? "";
  const website = org?.websites[0];
  return {
    id: config.businessId,
    name: org?.name ?? config.businessId,
    logo: config.logo ?? null,
    api_base: publicUrl,
    supported_actions: supportedActions(manifest),
    // Only a verified e-mail address counts as proof (verification `email`); a phone number only finds the person.
    supported_verifications: identities.includes("email") ? ["email"] : [],
    web_url: website ? (/^https?:/.test(website) ? website : `https://${website}`) : undefined,
    technical_contact: config.technicalContact ?? contact,
    business_contact: org?.dpo?.email ?? contact,
  };
}
