import type { JurisdictionRights, RequestType, VerificationLevel } from "./types.ts";

/**
 * The least identity check a request type needs in a jurisdiction, or undefined when the jurisdiction does not offer
 * that request type. Levels are ordered (`VERIFICATION_LEVELS`, weakest first): a stronger check satisfies a weaker one.
 *
 * @example
 *   verificationFor(california, "opt_out_sale_sharing"); // "none"
 *   verificationFor(california, "access"); // "email"
 */
export function verificationFor(rights: JurisdictionRights, type: RequestType): VerificationLevel | undefined {
  return rights.verification[type];
}
