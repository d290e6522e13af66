/**
 * The mapping of Steward's lifecycle to the DRP statuses (§3.02) and the reading of an exercise's claims (§2.01,
 * §3.04), both pure: every Steward state, the fields each status carries, and the reference agent's known deviations.
 */
import { describe, expect, it } from "vitest";
import { currentStatus } from "../../src/drp/announce-status.ts";
import { optInUnavailable, supportedActions } from "../../src/drp/business-document.ts";
import { rankOf, statusOf } from "../../src/drp/drp-status.ts";
import { readExercise } from "../../src/drp/exercise-claims.ts";
import { isStewardError } from "../../src/errors.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { isSaleOrSharing } from "../../src/manifest/jurisdictions.ts";
import { REQUEST_STATUSES } from "../../src/requests/lifecycle.ts";
import type { RequestRow } from "../../src/requests/move-request.ts";
import type { ServiceContext } from "../../src/requests/service-context.ts";

const received = new Date("2026-12-01T10:00:00.000Z");
const row = (over: Partial<RequestRow>): RequestRow =>
  ({
    id: "6f1c2b7e-0000-4000-8000-000000000001",
    status: "received",
    created_at: received,
    due_at: new Date("2027-01-15T23:59:59.999Z"),
    reason: null,
    paused_since: null,
    extended_at: null,
    ...over,
  }) as RequestRow;
const link = { agent_request_id: "a-1", received_at: received, revoked_at: null };
const facts = (over: Partial<RequestRow>, revoked = false) => ({
  row: row(over),
  link: { ...link, revoked_at: revoked ? received : null },
  publicUrl: "https://privacy.example.org",
  unverifiedHours: 72,
  now: new Date("2026-12-20T10:00:00.000Z"),
});

describe("DRP status of a Steward request", () => {
  it("maps every lifecycle state", () => {
    const mapped = Object.fromEntries(
      REQUEST_STATUSES.map((status) => {
        const s = statusOf(facts({ status }));
        return [status, s.reason ? `${s.status}/${s.reason}` : s.status];
      }),
    );
    expect(mapped).toEqual({
      received: "open",
      awaiting_verification: "in_progress/need_user_verification",
      verified: "in_progress",
      awaiting_approval: "in_progress",
      in_progress: "in_progress",
      routed: "in_progress",
      completed: "fulfilled",
      partially_completed: "in_progress",
      denied: "denied/other",
      expired: "denied/insuf_verification",
      cancelled: "denied/other",
    });
    expect(statusOf(facts({ status: "cancelled" }, true)).status).toBe("revoked");
    // A completed access request's package: fulfilled with expires_at while it can be downloaded, then expired.
    const withPackage = (until: string) => ({ ...facts({ status: "completed" }), packageExpires: new Date(until) });
    expect(statusOf(withPackage("2026-12-27T10:00:00.000Z"))).toMatchObject({
      status: "fulfilled",
      expires_at: "2026-12-27T10:00:00.000+00:00",
    });
    expect(statusOf(withPackage("2026-12-19T10:00:00.000Z")).status).toBe("expired");
  });

  it("carries the kind of denial recorded with the request, in the protocol's spelling", () => {
    const denied = (outcome: Record<string, unknown> | null) =>
      statusOf(facts({ status: "denied", reason: "why", outcome } as Partial<RequestRow>)).reason;
    expect(denied({ denial: "no_match" })).toBe("no_match");
    expect(denied({ denial: "suspected_fraud" })).toBe("suspected_fraud");
    expect(denied({ denial: "claim_not_covered", exemption: "legal_claims" })).toBe("claim_not_covered");
    expect(denied({ denial: "insufficient_verification" })).toBe("insuf_verification");
    // Denied before kinds were recorded, or an unknown value: other.
    expect(denied(null)).toBe("other");
    expect(denied({ denial: "because" })).toBe("other");
  });

  it("writes the fields of §3.03 in its order, +00:00 timestamps, expected_by while in progress", () => {
    const verify = statusOf(facts({ status: "awaiting_verification", due_at: null }));
    expect(Object.keys(verify)).toEqual([
      "request_id",
      "received_at",
      "expected_by",
      "agent_request_id",
      "processing_details",
      "status",
      "reason",
      "user_verification_url",
      "expires_at",
    ]);
    expect(verify).toMatchObject({
      received_at: "2026-12-01T10:00:00.000+00:00",
      expected_by: "2026-12-04T10:00:00.000+00:00",
      user_verification_url: "https://privacy.example.org/requests/6f1c2b7e-0000-4000-8000-000000000001",
      expires_at: "2026-12-04T10:00:00.000+00:00",
    });
    const working = statusOf(facts({ status: "in_progress", extended_at: received, reason: "more systems" }));
    expect(working).toMatchObject({
      expected_by: "2027-01-15T23:59:59.999+00:00",
      processing_details: "Extended: more systems",
      status: "in_progress",
    });
    const denied = statusOf(facts({ status: "denied", reason: "not a customer" }));
    expect(denied).toMatchObject({ status: "denied", reason: "other", processing_details: "not a customer" });
    expect(denied).not.toHaveProperty("expected_by");
    expect(JSON.stringify(denied)).not.toMatch(/Z"/);
    expect([rankOf("open"), rankOf("in_progress"), rankOf("fulfilled"), rankOf("revoked")]).toEqual([1, 2, 3, 3]);
  });
});

describe("what an agent is told", () => {
  // Only the clock and the configuration are read for a request that is not completed (no package to look up).
  const ctx = {
    config: { publicUrl: "https://privacy.example.org", unverifiedHours: 72 },
    now: () => new Date("2026-12-20T10:00:00.000Z"),
  } as unknown as ServiceContext;
  const told = (status: Record<string, unknown>, rank: number) => ({
    ...link,
    request_id: "6f1c2b7e-0000-4000-8000-000000000001",
    agent_id: "A",
    regime: null,
    exercise: "access",
    status_callback: null,
    power_of_attorney_enc: null,
    announced: JSON.stringify(status),
    announced_rank: rank,
    callback_sent: null,
  });

  it("never goes back behind a status already told, nor from one final status to another", async () => {
    const fulfilled = { request_id: "x", received_at: "2026-12-01T10:00:00.000+00:00", status: "fulfilled" };
    // Once told fulfilled, an agent is never told in_progress again, whatever the request does next.
    expect(await currentStatus(ctx, row({ status: "in_progress" }), told(fulfilled, 3))).toEqual(fulfilled);
    const revoked = { ...fulfilled, status: "revoked" };
    expect(await currentStatus(ctx, row({ status: "denied", reason: "x" }), told(revoked, 3))).toEqual(revoked);
    const open = { ...fulfilled, status: "open" };
    expect((await currentStatus(ctx, row({ status: "in_progress" }), told(open, 1))).status).toBe("in_progress");
  });
});

describe("exercise claims", () => {
  const supported = ["sale:opt-out", "access", "access:categories", "access:specific", "deletion"];
  const types = ["device_id", "email", "phone_number", "user_id"];
  const base = { "drp.version": "1.0", exercise: "access", email: "jane@example.com" };

  it("takes the reference agent's deviations", () => {
    const e = readExercise(
      { ...base, exercise: "sale:opt_out ", phone: "+15555550100", email_verified: "true", power_of_attorney: true },
      types,
      supported,
    );
    expect(e).toMatchObject({
      action: "sale:opt-out",
      type: "opt_out_sale_sharing",
      identity: { email: "jane@example.com", phone_number: "+15555550100" },
      verified: ["email"],
      powerOfAttorney: "true",
    });
    expect(readExercise({ ...base, exercise: "deletion" }, types, supported).type).toBe("erasure");
    expect(readExercise({ ...base, name: "Doe, Jane", address: { locality: "X" } }, types, supported).identity).toEqual(
      {
        email: "jane@example.com",
      },
    );
  });

  it("takes sale:opt-in as the opt-out's choice the other way, where a purpose sells or shares data", async () => {
    const manifest = await loadManifestDir("examples/learning-platform");
    expect(supportedActions(manifest)).toContain("sale:opt-in");
    expect(optInUnavailable(manifest)).toBeUndefined();
    const optIn = readExercise({ ...base, exercise: "sale:opt-in" }, types, supportedActions(manifest));
    expect(optIn).toMatchObject({ action: "sale:opt-in", type: "opt_out_sale_sharing", details: { opt_in: true } });
    expect(readExercise({ ...base, exercise: "sale:opt-out" }, types, supported).details).toBeUndefined();
    // The reference agent's (OSIRAA's) form sends the 0.9 spelling `sale:opt_in`, as it once sent `sale:opt_out`.
    expect(readExercise({ ...base, exercise: "sale:opt_in " }, types, supportedActions(manifest))).toMatchObject({
      action: "sale:opt-in",
      type: "opt_out_sale_sharing",
      details: { opt_in: true },
    });

    // Without a purpose that sells or shares, there is nothing to opt in to: refused, saying why.
    const noSale = { ...manifest, purposes: manifest.purposes.filter((p) => !isSaleOrSharing(p)) };
    expect(supportedActions(noSale)).not.toContain("sale:opt-in");
    expect(supportedActions(noSale)).toContain("sale:opt-out");
    let refusal = "";
    try {
      readExercise({ ...base, exercise: "sale:opt-in" }, types, supportedActions(noSale), () =>
        optInUnavailable(noSale),
      );
    } catch (error) {
      refusal = isStewardError(error) ? `${error.code}: ${error.message}` : String(error);
    }
    expect(refusal).toMatch(
      /^STW_DRP_OPT_IN_NOT_OFFERED: "sale:opt-in" is not taken here: no purpose of the manifest sells or shares/,
    );
  });

  it("refuses what it cannot take, naming the claim and the allowed values", () => {
    const code = (claims: Record<string, unknown>) => {
      try {
        readExercise(claims, types, supported);
      } catch (error) {
        return isStewardError(error) ? `${error.code} ${error.message}` : String(error);
      }
      return "accepted";
    };
    expect(code({ ...base, exercise: "sale:opt-in" })).toMatch(
      /^STW_DRP_UNSUPPORTED_ACTION .*"sale:opt-in".*"deletion"/,
    );
    expect(code({ ...base, exercise: undefined })).toMatch(/^STW_DRP_BAD_CLAIM .*exercise/);
    expect(code({ ...base, "drp.version": "0.5" })).toMatch(/^STW_DRP_BAD_CLAIM .*"1.0"/);
    expect(code({ ...base, status_callback: "ftp://x" })).toMatch(/^STW_DRP_BAD_CLAIM .*status_callback/);
  });
});
