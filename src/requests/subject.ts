/**
 * The person a request is about, as the service keeps them: identities normalised (an e-mail in lower case, a phone
 * without spaces), checked against the identity types the manifest declares, and hashed per identity with the
 * service's key. Errors never repeat a value back: a mistyped address does not end up in a log or an error report.
 */
import { knownIdentityTypes } from "../engine/identities.ts";
import { stewardError } from "../errors.ts";
import type { Manifest } from "../manifest/types.ts";
import type { KeyedHash } from "../secrets/keyed-hash.ts";

/** type → value, one value per type (a person gives one e-mail address per request). */
export type Identity = Readonly<Record<string, string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An identity value as the service hashes it: an e-mail in lower case, a phone without spaces or punctuation. */
export function normaliseIdentity(type: string, value: string): string {
  const v = value.trim();
  if (type === "email") return v.toLowerCase();
  if (type === "phone") return v.replaceAll(/[\s().-]/g, "");
  return v;
}

/** Checks and normalises an identity object; throws STW_REQUEST_BAD_IDENTITY naming the type, never the value. */
export function parseIdentity(manifest: Manifest, input: unknown): Identity {
  const allowed = knownIdentityTypes(manifest);
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw stewardError("STW_REQUEST_BAD_IDENTITY", { detail: "expected an object of type → value", allowed });
  const out: Record<string, string> = {};
  for (const [type, value] of Object.entries(input)) {
    if (!allowed.includes(type))
      throw stewardError("STW_REQUEST_BAD_IDENTITY", { detail: `unknown identity type "${type}"`, allowed });
    if (typeof value !== "string" && typeof value !== "number")
      throw stewardError("STW_REQUEST_BAD_IDENTITY", { detail: `the value of "${type}" must be a string`, allowed });
    const v = normaliseIdentity(type, String(value));
    if (v === "" || v.length > 320)
      throw stewardError("STW_REQUEST_BAD_IDENTITY", {
        detail: `the value of "${type}" is empty or too long`,
        allowed,
      });
    if (type === "email" && !EMAIL.test(v))
      throw stewardError("STW_REQUEST_BAD_IDENTITY", {
        detail: 'the value of "email" is not an e-mail address',
        allowed,
      });
    out[type] = v;
  }
  if (Object.keys(out).length === 0)
    throw stewardError("STW_REQUEST_BAD_IDENTITY", { detail: "no identity was given", allowed });
  return out;
}

/** One keyed hash per identity, sorted: how duplicates and legal holds find a person. */
export function subjectHashes(identity: Identity, hash: KeyedHash): string[] {
  return Object.entries(identity)
    .map(([type, value]) => hash.subject(type, value))
    .sort();
}

/** One hash of the whole identity set (the `identities_hash` column). */
export function identitiesHash(identity: Identity, hash: KeyedHash): string {
  return hash.subject("identities", subjectHashes(identity, hash).join(","));
}

/** "a…@example.com", "+44…89": enough for an operator to recognise, not enough to reuse. */
export function maskIdentity(type: string, value: string): string {
  if (type === "email") {
    const at = value.indexOf("@");
    return `${value.slice(0, 1)}…${value.slice(at)}`;
  }
  if (value.length <= 4) return "…";
  return `${value.slice(0, 3)}…${value.slice(-2)}`;
}

/** The engine's shape: type → values. */
export const asEngineIdentities = (identity: Identity): Map<string, string[]> =>
  new Map(Object.entries(identity).map(([t, v]) => [t, [v]]));
