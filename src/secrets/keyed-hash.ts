/**
 * Keyed hashes and signatures from the service's secret. A subject is stored as `HMAC(type:normalised value)`: two
 * requests by the same person meet, a legal hold finds them, and the store alone names nobody (without the secret a
 * list of e-mail addresses cannot be tried against it). Tokens the service hands out (a person's request token, an
 * API key) are random and long, so a plain sha256 is enough for them.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { deriveKey, type Secret } from "./load-secret.ts";

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** Compares two strings in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class KeyedHash {
  readonly #subjects: Buffer;
  readonly #codes: Buffer;
  readonly #links: Buffer;
  readonly #proofs: Buffer;

  constructor(secret: Secret) {
    this.#subjects = deriveKey(secret, "subject");
    this.#codes = deriveKey(secret, "code");
    this.#links = deriveKey(secret, "link");
    this.#proofs = deriveKey(secret, "proof");
  }

  /** Where a consent event came from — the client's address and browser — as a hash that names neither. */
  proof(ip: string, userAgent: string): string {
    return createHmac("sha256", this.#proofs).update(`${ip}\n${userAgent}`).digest("hex");
  }

  /** `email:ada@example.com` → 64 hex characters. */
  subject(type: string, value: string): string {
    return createHmac("sha256", this.#subjects).update(`${type}:${value}`).digest("hex");
  }

  /** A verification code, bound to its request. */
  code(requestId: string, code: string): string {
    return createHmac("sha256", this.#codes).update(`${requestId}:${code}`).digest("hex");
  }

  /** The signature of a link: what it opens and until when. */
  link(what: string, expiresAt: number): string {
    return createHmac("sha256", this.#links).update(`${what}:${expiresAt}`).digest("base64url");
  }
}
