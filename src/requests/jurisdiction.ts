/**
 * Which jurisdiction's rules a request follows: the one it names, else the one whose regions hold the person's
 * country ("DE" → the EEA, "US-CA" → California), else the manifest's default (`default: true`, or a jurisdiction with no regions).
 */
import { stewardError } from "../errors.ts";
import { defaultJurisdiction, regionCovers } from "../manifest/jurisdictions.ts";
import type { JurisdictionRights, Manifest, RequestType } from "../manifest/types.ts";

export function resolveJurisdiction(
  manifest: Manifest,
  declared: string | undefined,
  country: string | undefined,
): JurisdictionRights {
  const allowed = manifest.rights.map((r) => r.jurisdiction);
  if (declared !== undefined) {
    const found = manifest.rights.find((r) => r.jurisdiction === declared);
    if (!found) throw stewardError("STW_REQUEST_UNKNOWN_JURISDICTION", { value: declared, allowed });
    return found;
  }
  const byCountry = country ? manifest.rights.find((r) => regionCovers(r, country)) : undefined;
  const fallback = defaultJurisdiction(manifest) ?? manifest.rights[0];
  const chosen = byCountry ?? fallback;
  if (!chosen) throw stewardError("STW_REQUEST_UNKNOWN_JURISDICTION", { value: country ?? "(none)", allowed });
  return chosen;
}

/** Refuses a type the jurisdiction does not offer, listing the ones it does. */
export function checkOffered(rights: JurisdictionRights, type: RequestType): void {
  if (!rights.requests.includes(type))
    throw stewardError("STW_REQUEST_TYPE_NOT_OFFERED", {
      type,
      jurisdiction: rights.jurisdiction,
      allowed: rights.requests,
    });
}
