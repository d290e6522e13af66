/**
 * The rights a DRP exercise is handled under, from its `regime` (DRP 1.0 §2.01, §3.01). Pure.
 * - `ccpa`: the jurisdiction covering California (its deadline, extension, verification levels);
 * - none or `voluntary` (a voluntary request): the manifest's default jurisdiction, or California's where the default
 *   does not offer the type (a voluntary opt-out of sale);
 * - the key of one of the manifest's jurisdictions: that one; anything else is STW_DRP_BAD_CLAIM.
 */
import { stewardError } from "../errors.ts";
import type { JurisdictionRights, Manifest, RequestType } from "../manifest/types.ts";
import { resolveJurisdiction } from "../requests/jurisdiction.ts";
import { ccpaRights } from "./business-document.ts";

export function regimeRights(manifest: Manifest, regime: string | undefined, type: RequestType): JurisdictionRights {
  if (regime === undefined || regime === "voluntary") {
    const fallback = resolveJurisdiction(manifest, undefined, undefined);
    const ccpa = ccpaRights(manifest);
    return !fallback.requests.includes(type) && ccpa?.requests.includes(type) ? ccpa : fallback;
  }
  if (regime === "ccpa") {
    const rights = ccpaRights(manifest);
    if (rights) return rights;
  }
  const named = manifest.rights.find((r) => r.jurisdiction === regime);
  if (named) return named;
  throw stewardError("STW_DRP_BAD_CLAIM", {
    claim: "regime",
    detail: `is "${regime}"`,
    allowed: ["ccpa", "voluntary", ...manifest.rights.map((r) => r.jurisdiction)],
  });
}
