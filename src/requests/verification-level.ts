/**
 * How sure the service must be of who is asking, per request type, from the manifest (`rights[].verification`):
 *
 * - `none` — nothing to prove (an opt-out harms no one if someone else sends it);
 * - `email` — a code sent to the address, or a signed-in user from the host application;
 * - `account` — a signed-in user only;
 * - `document` — the e-mail code, then an operator checks a document before anything runs (approval).
 */
import type { JurisdictionRights, RequestType, VerificationLevel } from "../manifest/types.ts";

export function verificationLevel(rights: JurisdictionRights, type: RequestType): VerificationLevel {
  const v = rights.verification as VerificationLevel | Readonly<Record<string, VerificationLevel>>;
  if (typeof v === "string") return v;
  return v[type] ?? v["default"] ?? "email";
}
