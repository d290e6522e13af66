/**
 * The signed vectors of the reference material (made with libsodium through PyNaCl and the reference agent's published
 * local test key) verify with node:crypto over the exact bytes received; one changed byte fails; the envelope checks
 * run on an injected clock (the vectors were issued in 2025).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AgentDirectory } from "../../src/drp/agent-directory.ts";
import { checkEnvelope } from "../../src/drp/check-envelope.ts";
import { drpConfigFromEnv } from "../../src/drp/drp-config.ts";
import { drpTime, parseDrpTime } from "../../src/drp/drp-time.ts";
import { decodeSignedMessage, parseClaims, verifyKeyFrom, verifySignedMessage } from "../../src/drp/signed-message.ts";
import { isStewardError } from "../../src/errors.ts";
import type { Manifest } from "../../src/manifest/types.ts";

const VECTORS = JSON.parse(readFileSync(new URL("../fixtures/drp/vectors.json", import.meta.url), "utf8")) as {
  verify_key_b64: string;
  vectors: { name: string; json?: string; wire: string }[];
};
/** Only the organization's key is read (for the default business id). */
const EMPTY_MANIFEST = { organization: { key: "test" } } as unknown as Manifest;
const key = verifyKeyFrom(VECTORS.verify_key_b64);
const vector = (name: string) => VECTORS.vectors.find((v) => v.name.startsWith(name))!;

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return isStewardError(error) ? error.code : String(error);
  }
  return undefined;
};

describe("DRP signed messages", () => {
  it("verifies the reference vectors over the bytes received, which are the JSON as signed", () => {
    for (const name of ["pairwise-setup", "exercise-sale-opt-out"]) {
      const v = vector(name);
      const message = decodeSignedMessage(v.wire);
      expect(verifySignedMessage(message, key)).toBe(true);
      expect(message.bytes.toString("utf8")).toBe(v.json);
      expect(parseClaims(message)["agent-id"]).toBe("CR_AA_DRP_ID_001_LOCAL");
    }
  });

  it("rejects the tampered vector and any one changed byte, of the signature or of the message", () => {
    expect(verifySignedMessage(decodeSignedMessage(vector("exercise-tampered").wire), key)).toBe(false);
    const raw = Buffer.from(vector("exercise-sale-opt-out").wire, "base64");
    for (const at of [0, 63, 64, 100, raw.length - 1]) {
      const changed = Buffer.from(raw);
      changed[at] = (changed[at] ?? 0) ^ 0x01;
      expect(verifySignedMessage(decodeSignedMessage(changed.toString("base64")), key)).toBe(false);
    }
  });

  it("refuses bodies that are not signed messages with a coded error", () => {
    expect(codeOf(() => decodeSignedMessage(""))).toBe("STW_DRP_BAD_MESSAGE");
    expect(codeOf(() => decodeSignedMessage("not base64 at all!"))).toBe("STW_DRP_BAD_MESSAGE");
    expect(codeOf(() => decodeSignedMessage(Buffer.alloc(64).toString("base64")))).toBe("STW_DRP_BAD_MESSAGE");
    const notJson = Buffer.concat([Buffer.alloc(64), Buffer.from("[1,2]")]).toString("base64");
    expect(codeOf(() => parseClaims(decodeSignedMessage(notJson)))).toBe("STW_DRP_BAD_MESSAGE");
  });

  it("checks the envelope on an injected clock: agent, business, issued-at, expires-at", () => {
    const claims = parseClaims(decodeSignedMessage(vector("pairwise-setup").wire));
    const base = {
      agentId: "CR_AA_DRP_ID_001_LOCAL",
      where: "URL" as const,
      businessId: "stub-cb-001",
      skewSeconds: 0,
      maxValiditySeconds: 900,
    };
    const at = (iso: string) => ({ ...base, now: new Date(iso) });
    const env = checkEnvelope(claims, at("2025-01-01T00:05:00Z"));
    expect(env.version).toBe("1.0");
    expect(drpTime(env.expiresAt)).toBe("2025-01-01T00:15:00.000+00:00");
    expect(codeOf(() => checkEnvelope(claims, at("2025-01-01T00:15:00Z")))).toBe("STW_DRP_EXPIRED");
    expect(codeOf(() => checkEnvelope(claims, at("2024-12-31T23:59:59Z")))).toBe("STW_DRP_NOT_YET_VALID");
    expect(codeOf(() => checkEnvelope(claims, { ...at("2025-01-01T00:05:00Z"), businessId: "OTHER" }))).toBe(
      "STW_DRP_WRONG_BUSINESS",
    );
    expect(codeOf(() => checkEnvelope(claims, { ...at("2025-01-01T00:05:00Z"), agentId: "OTHER" }))).toBe(
      "STW_DRP_WRONG_AGENT",
    );
  });

  it("takes the reference agent's 15-minute window by default and refuses a longer one than configured", () => {
    const claims = parseClaims(decodeSignedMessage(vector("pairwise-setup").wire));
    const expect_ = {
      agentId: "CR_AA_DRP_ID_001_LOCAL",
      where: "URL" as const,
      businessId: "stub-cb-001",
      skewSeconds: 0,
      now: new Date("2025-01-01T00:05:00Z"),
    };
    const defaults = drpConfigFromEnv(EMPTY_MANIFEST, {});
    expect(defaults.maxValiditySeconds).toBe(900);
    expect(checkEnvelope(claims, { ...expect_, maxValiditySeconds: defaults.maxValiditySeconds }).version).toBe("1.0");
    const tight = drpConfigFromEnv(EMPTY_MANIFEST, { STEWARD_DRP_MAX_VALIDITY_SECONDS: "600" });
    let message = "";
    try {
      checkEnvelope(claims, { ...expect_, maxValiditySeconds: tight.maxValiditySeconds });
    } catch (error) {
      message = isStewardError(error) ? `${error.code}: ${error.message}` : String(error);
    }
    expect(message).toMatch(
      /^STW_DRP_VALIDITY_TOO_LONG: the message is valid from 2025-01-01T00:00:00.000\+00:00 to 2025-01-01T00:15:00.000\+00:00, 900 s; this server takes at most 600 s/,
    );
    expect(codeOf(() => drpConfigFromEnv(EMPTY_MANIFEST, { STEWARD_DRP_MAX_VALIDITY_SECONDS: "ten" }))).toBe(
      "STW_DRP_BAD_SETTING",
    );
  });

  it("reads timestamps liberally and writes them with +00:00", () => {
    const at = "2026-11-29T04:15:29.651Z";
    for (const text of [
      "2026-11-29T04:15:29.651+00:00",
      "2026-11-29T04:15:29.651Z",
      "2026-11-29T04:15:29.651000+00:00",
      "2026-11-29T05:15:29.651+01:00",
      "2026-11-29T04:15:29.651",
    ])
      expect(parseDrpTime(text)?.toISOString()).toBe(at);
    expect(parseDrpTime("yesterday")).toBeUndefined();
    expect(drpTime(new Date(at))).toBe("2026-11-29T04:15:29.651+00:00");
  });

  it("loads an agent discovery document, with base64 or hex verify keys", () => {
    const hex = Buffer.from(VECTORS.verify_key_b64, "base64").toString("hex");
    const directory = AgentDirectory.from("test", [
      { id: "CR_AA_DRP_ID_001_LOCAL", name: "OSIRAA local", verify_key: VECTORS.verify_key_b64 },
      { id: "HEX_AGENT", verify_key: hex },
    ]);
    expect(directory.ids()).toEqual(["CR_AA_DRP_ID_001_LOCAL", "HEX_AGENT"]);
    const message = decodeSignedMessage(vector("pairwise-setup").wire);
    expect(verifySignedMessage(message, directory.require("HEX_AGENT").verifyKey)).toBe(true);
    expect(codeOf(() => directory.require("NOBODY"))).toBe("STW_DRP_UNKNOWN_AGENT");
    expect(codeOf(() => AgentDirectory.from("test", [{ id: "X", verify_key: "abcd" }]))).toBe("STW_DRP_AGENTS_INVALID");
    expect(codeOf(() => AgentDirectory.from("test", []))).toBe("STW_DRP_AGENTS_INVALID");
  });
});
