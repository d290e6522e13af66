/**
 * Which jurisdiction's rules a request follows: the one it names, else the one whose regions hold the person's
 * country ("DE" → the EEA, "US-CA" → California), else the manifest's catch-all (a jurisdiction with no regions).
 */
import { stewardError } from "../errors.ts";
import type { JurisdictionRights, Manifest, RequestType } from "../manifest/types.ts";
import { isInEea } from "../notice/third-country.ts";

function covers(rights: JurisdictionRights, country: string): boolean {
  const c = country.toUpperCase();
  return rights.regions.some((r) => r === c || (r === "EEA" && isInEea(c)) || (r === "US" && c.startsWith("US-")));
}

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
  const byCountry = country ? manifest.rights.find((r) => covers(r, country)) : undefined;
  const fallback = manifest.rights.find((r) => r.regions.length === 0) ?? manifest.rights[0];
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
