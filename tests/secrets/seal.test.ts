import { describe, expect, it } from "vitest";
import { Sealer } from "../../src/secrets/seal.ts";

const SECRET = { source: "test", bytes: Buffer.alloc(32, 4) };

describe("sealing", () => {
  it("never repeats an IV, also across the refills of its drawn-ahead random bytes", () => {
    const sealer = new Sealer(SECRET);
    const ivs = new Set<string>();
    // 256 IVs are drawn at a time: 2,000 seals cross several refills.
    for (let i = 0; i < 2_000; i++) {
      const sealed = sealer.sealBytes(Buffer.from("same text"), "row:1");
      ivs.add(sealed.subarray(0, 12).toString("hex"));
      expect(sealer.openBytes(sealed, "row:1").toString()).toBe("same text");
    }
    expect(ivs.size).toBe(2_000);
  });

  it("opens only with the same binding and the same secret, and detects a changed byte", () => {
    const sealer = new Sealer(SECRET);
    const sealed = sealer.sealJson({ type: "email", value: "ada@example.com" }, "consent-delivery:a:b");
    expect(sealer.openJson(sealed, "consent-delivery:a:b")).toEqual({ type: "email", value: "ada@example.com" });
    const refused = { code: "STW_SECRET_CANNOT_OPEN" };
    expect(() => sealer.openJson(sealed, "consent-delivery:a:c")).toThrow(expect.objectContaining(refused));
    const other = new Sealer({ source: "test", bytes: Buffer.alloc(32, 5) });
    expect(() => other.openJson(sealed, "consent-delivery:a:b")).toThrow(expect.objectContaining(refused));
    const bytes = Buffer.from(sealed.slice(3), "base64url");
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(() => sealer.openJson(`v1.${bytes.toString("base64url")}`, "consent-delivery:a:b")).toThrow(
      expect.objectContaining(refused),
    );
  });
});
