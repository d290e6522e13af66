/**
 * Sealing with AES-256-GCM: what the store keeps of a person (identities, details, the access package) is unreadable
 * without the service's secret, and any change to it is detected when it is opened. A sealed value is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url) for text, or `iv ‖ tag ‖ ciphertext` for bytes. The associated data binds a
 * sealed value to the row it belongs to (a request id), so it cannot be copied onto another row.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { stewardError } from "../errors.ts";
import { deriveKey, type Secret } from "./load-secret.ts";

const IV = 12;
const TAG = 16;

export class Sealer {
  readonly #key: Buffer;

  constructor(secret: Secret) {
    this.#key = deriveKey(secret, "seal");
  }

  /** Random bytes drawn ahead, each IV taken once: one call for 256 IVs costs what one call for one does. */
  #ivs = Buffer.alloc(0);
  #ivAt = 0;

  #iv(): Buffer {
    if (this.#ivAt + IV > this.#ivs.length) {
      this.#ivs = randomBytes(IV * 256);
      this.#ivAt = 0;
    }
    const iv = this.#ivs.subarray(this.#ivAt, this.#ivAt + IV);
    this.#ivAt += IV;
    return iv;
  }

  sealBytes(plain: Uint8Array, boundTo: string): Buffer {
    const iv = this.#iv();
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const body = cipher.update(plain);
    const rest = cipher.final();
    return Buffer.concat([iv, cipher.getAuthTag(), body, rest]);
  }

  openBytes(sealed: Uint8Array, boundTo: string): Buffer {
    const data = Buffer.from(sealed);
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#key, data.subarray(0, IV));
      decipher.setAAD(Buffer.from(boundTo));
      decipher.setAuthTag(data.subarray(IV, IV + TAG));
      return Buffer.concat([decipher.update(data.subarray(IV + TAG)), decipher.final()]);
    } catch {
      throw stewardError("STW_SECRET_CANNOT_OPEN", { what: boundTo });
    }
  }

  sealJson(value: unknown, boundTo: string): string {
    const sealed = this.sealBytes(Buffer.from(JSON.stringify(value)), boundTo);
    return `v1.${sealed.toString("base64url")}`;
  }

  openJson<T>(text: string, boundTo: string): T {
    if (!text.startsWith("v1.")) throw stewardError("STW_SECRET_CANNOT_OPEN", { what: boundTo });
    return JSON.parse(this.openBytes(Buffer.from(text.slice(3), "base64url"), boundTo).toString("utf8")) as T;
  }
}
