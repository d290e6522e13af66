/**
 * DRP signed messages (DRP 1.0 §3.07.1): base64 of libsodium's combined mode — a 64-byte Ed25519 signature followed by
 * the JSON bytes it signs. The signature is checked over exactly the bytes received, before the JSON is parsed; nothing
 * is ever re-serialised (the reference agent writes `", "` and `": "` separators that a re-encoding would lose).
 *
 * @example
 *   const message = decodeSignedMessage(body);            // STW_DRP_BAD_MESSAGE when it is not one
 *   if (!verifySignedMessage(message, agent.verifyKey)) …  // node:crypto Ed25519
 *   const claims = parseClaims(message);
 */
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { stewardError } from "../errors.ts";

export interface SignedMessage {
  readonly signature: Buffer;
  /** The signed bytes, as received: the JSON document. */
  readonly bytes: Buffer;
}

const SIGNATURE_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Splits a base64 body into signature and message. Accepts base64url and stray whitespace (line breaks). */
export function decodeSignedMessage(body: unknown): SignedMessage {
  const text = Buffer.isBuffer(body) ? body.toString("latin1") : typeof body === "string" ? body : "";
  const compact = text.replaceAll(/\s+/g, "");
  if (compact === "") throw stewardError("STW_DRP_BAD_MESSAGE", { detail: "it is empty" });
  if (!BASE64.test(compact)) throw stewardError("STW_DRP_BAD_MESSAGE", { detail: "it is not base64" });
  const raw = Buffer.from(compact.replaceAll("-", "+").replaceAll("_", "/"), "base64");
  if (raw.length <= SIGNATURE_BYTES)
    throw stewardError("STW_DRP_BAD_MESSAGE", {
      detail: `it decodes to ${raw.length} bytes, fewer than a 64-byte signature and a message`,
    });
  return { signature: raw.subarray(0, SIGNATURE_BYTES), bytes: raw.subarray(SIGNATURE_BYTES) };
}

/**
 * An Ed25519 public key from its raw 32 bytes as a discovery document gives them (`verify_key`): base64 since DRP
 * 0.9.1, hex before (the reference agent's own agents.json still uses hex).
 */
export function verifyKeyFrom(encoded: string): KeyObject {
  const text = encoded.trim();
  const raw = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (raw.length !== 32) throw new RangeError(`an Ed25519 verify key has 32 bytes, this one ${raw.length}`);
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
}

export function verifySignedMessage(message: SignedMessage, key: KeyObject): boolean {
  try {
    return verify(null, message.bytes, key, message.signature);
  } catch {
    return false;
  }
}

/** The claims of a verified message: a JSON object. */
export function parseClaims(message: SignedMessage): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(message.bytes));
  } catch {
    throw stewardError("STW_DRP_BAD_MESSAGE", { detail: "the signed part is not UTF-8 JSON" });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw stewardError("STW_DRP_BAD_MESSAGE", { detail: "the signed part is not a JSON object" });
  return parsed as Record<string, unknown>;
}
