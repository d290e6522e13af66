/**
 * Whom a consent event is about, written `TYPE:VALUE`: `email:ada@example.com`, `user_id:42`, or `device:3f9c…` — the
 * browser SDK's pseudonymous id for a visitor who is not signed in. Identity types are the manifest's (the same ones a
 * request takes, normalised the same way), so a person's choices and their requests meet on the same keyed hash.
 * Errors name the type, never the value.
 */
import { knownIdentityTypes } from "../engine/identities.ts";
import { stewardError } from "../errors.ts";
import type { Manifest } from "../manifest/types.ts";
import { parseIdentity } from "../requests/subject.ts";
import type { KeyedHash } from "../secrets/keyed-hash.ts";

export interface ConsentSubject {
  readonly type: string;
  readonly value: string;
  /** The keyed hash the ledger keeps (the same as a request's `subject_hashes` entry for this identity). */
  readonly hash: string;
}

/** A device id: what the SDK makes (16–128 characters of letters, digits, `-` and `_`). */
const DEVICE_ID = /^[A-Za-z0-9_-]{16,128}$/;

export class SubjectParser {
  readonly #types: readonly string[];

  constructor(
    private readonly manifest: Manifest,
    private readonly hash: KeyedHash,
  ) {
    this.#types = [...knownIdentityTypes(manifest), "device"];
  }

  get types(): readonly string[] {
    return this.#types;
  }

  parse(text: unknown): ConsentSubject {
    const allowed = this.#types;
    if (typeof text !== "string" || !text.includes(":"))
      throw stewardError("STW_CONSENT_BAD_SUBJECT", {
        detail: "expected TYPE:VALUE, e.g. email:ada@example.com",
        allowed,
      });
    const at = text.indexOf(":");
    const type = text.slice(0, at);
    const raw = text.slice(at + 1);
    if (type === "device") {
      if (!DEVICE_ID.test(raw))
        throw stewardError("STW_CONSENT_BAD_SUBJECT", {
          detail: "a device id is 16 to 128 letters, digits, '-' or '_'",
          allowed,
        });
      return { type, value: raw, hash: this.hash.subject(type, raw) };
    }
    if (!allowed.includes(type))
      throw stewardError("STW_CONSENT_BAD_SUBJECT", { detail: `unknown identity type "${type}"`, allowed });
    let value: string;
    try {
      value = parseIdentity(this.manifest, { [type]: raw })[type] ?? "";
    } catch {
      const detail =
        type === "email" ? "the value is not an e-mail address" : `the value of "${type}" is empty or too long`;
      throw stewardError("STW_CONSENT_BAD_SUBJECT", { detail, allowed });
    }
    return { type, value, hash: this.hash.subject(type, value) };
  }
}
