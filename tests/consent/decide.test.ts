import { beforeAll, describe, expect, it } from "vitest";
import { purposesCovered } from "../../src/consent/choices.ts";
import { deriveState, type LedgerEntry } from "../../src/consent/consent-state.ts";
import { decide } from "../../src/consent/decide.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import type { ConsentMethod, ConsentStatus } from "../../src/store/store-schema.ts";
import { EXAMPLE } from "./consent-fixture.ts";

let m: Manifest;
beforeAll(async () => {
  m = await loadManifestDir(EXAMPLE);
});

const purpose = (key: string) => {
  const p = m.purposes.find((x) => x.key === key);
  if (!p) throw new Error(`no purpose ${key}`);
  return p;
};
const rights = (key: string) => m.rights.find((r) => r.jurisdiction === key);

let clock = Date.parse("2026-03-01T10:00:00Z");
function entry(purposeKey: string, status: ConsentStatus, method: ConsentMethod = "preferences"): LedgerEntry {
  clock += 60_000;
  return {
    record_id: `r${clock}`,
    at: new Date(clock),
    purpose: purposeKey,
    status,
    method,
    notice_version: "2025-01-01",
    jurisdiction: null,
    request_id: null,
  };
}

const run = (key: string, jurisdiction: string, entries: LedgerEntry[] = []) =>
  decide(purpose(key), rights(jurisdiction), deriveState(entries), "2025-01-01");

describe("the decision, per jurisdiction, from the reference manifest", () => {
  it("waits for a yes in the EEA and runs until a no in California (marketing e-mail)", () => {
    expect(run("marketing_email", "eea")).toMatchObject({ allowed: false, code: "default_opt_in", since: null });
    expect(run("marketing_email", "us_ca")).toMatchObject({ allowed: true, code: "default_opt_out" });
    expect(run("marketing_email", "global")).toMatchObject({ allowed: false, code: "default_opt_in" });
  });

  it("needs no choice for contract and legal-obligation purposes, and says so", () => {
    const d = run("provide_platform", "eea");
    expect(d).toMatchObject({ allowed: true, code: "notice_only", mechanism: "notice_only" });
    expect(d.reason).toContain("contract");
  });

  it("gives consent and takes it back, each with its date and notice", () => {
    const given = entry("marketing_email", "granted");
    expect(run("marketing_email", "eea", [given])).toMatchObject({
      allowed: true,
      code: "consent_given",
      since: given.at.toISOString(),
      notice_version: "2025-01-01",
    });
    const back = entry("marketing_email", "withdrawn");
    const d = run("marketing_email", "eea", [given, back]);
    expect(d).toMatchObject({ allowed: false, code: "withdrawn", since: back.at.toISOString() });
    expect(d.reason).toContain("withdrawn on 2026-03-01");
  });

  it("lets people opt out of session replay and e-mail tracking everywhere", () => {
    for (const key of ["session_replay", "email_engagement_tracking"]) {
      expect(run(key, "eea")).toMatchObject({ allowed: true, code: "default_opt_out" });
      expect(run(key, "us_va", [entry(key, "withdrawn")])).toMatchObject({ allowed: false, code: "withdrawn" });
    }
  });

  it("names a GPC signal as the reason for an opt-out it caused", () => {
    const d = run("targeted_advertising", "us_ca", [entry("targeted_advertising", "withdrawn", "gpc")]);
    expect(d).toMatchObject({ allowed: false, code: "gpc" });
    expect(d.reason).toContain("Global Privacy Control");
  });

  it("puts an objection, a restriction and an age above every choice, in that order", () => {
    const granted = entry("marketing_email", "granted");
    const objected = entry("marketing_email", "objected");
    expect(run("marketing_email", "eea", [granted, objected])).toMatchObject({ allowed: false, code: "objection" });

    const restricted = entry("*", "restricted");
    expect(run("marketing_email", "eea", [granted, restricted])).toMatchObject({ code: "restriction" });
    // Storage for what the law requires and for legal claims goes on under a restriction (Art. 18(2)).
    expect(run("government_requests", "eea", [restricted])).toMatchObject({ allowed: true, code: "notice_only" });
    expect(run("legal_claims", "eea", [restricted])).toMatchObject({ allowed: true });
    const lifted = entry("*", "unrestricted");
    expect(run("marketing_email", "eea", [granted, restricted, lifted])).toMatchObject({ code: "consent_given" });

    const young = entry("*", "under_age", "host_event");
    expect(run("provide_platform", "us_ca", [granted, young])).toMatchObject({ allowed: false, code: "under_age" });
    expect(run("under_13_deletion", "us_ca", [young])).toMatchObject({ allowed: true });
  });

  it("ignores a recorded choice the purpose does not offer where the person now is", () => {
    // forum_post_reuse offers the DPF opt-out in Europe only; in California it is notice-only.
    const out = entry("forum_post_reuse", "withdrawn");
    expect(run("forum_post_reuse", "eea", [out])).toMatchObject({ allowed: false, code: "withdrawn" });
    expect(run("forum_post_reuse", "us_ca", [out])).toMatchObject({ allowed: true, code: "notice_only" });
  });
});

describe("what a request that changes processing covers", () => {
  it("an opt-out of sale and sharing covers the advertising purposes", () => {
    expect(purposesCovered(m, "opt_out_sale_sharing", rights("us_ca")).covered).toEqual(["targeted_advertising"]);
  });

  it("a withdrawal covers every purpose with a choice there, or the ones named", () => {
    const all = purposesCovered(m, "withdraw_consent", rights("eea")).covered;
    expect(all).toEqual(
      expect.arrayContaining(["marketing_email", "partner_marketing", "targeted_advertising", "session_replay"]),
    );
    expect(all).not.toContain("provide_platform");
    expect(purposesCovered(m, "withdraw_consent", rights("eea"), ["surveys"]).covered).toEqual(["surveys"]);
  });

  it("a limit on sensitive data covers the purposes that use it and offer a choice, and none in the reference", async () => {
    expect(purposesCovered(m, "limit_sensitive", rights("us_ca")).covered).toEqual([]);
    const research = purpose("research_with_content_providers");
    const withHealth = {
      ...m,
      purposes: m.purposes.map((p) =>
        p.key === research.key ? { ...p, data_categories: [...p.data_categories, "user.health_and_medical"] } : p,
      ),
    };
    // Sensitive data makes the purpose opt-in everywhere, so it offers a choice, and the limit covers it.
    expect(purposesCovered(withHealth, "limit_sensitive", rights("us_ca")).covered).toEqual([research.key]);
  });

  it("an objection switches off direct marketing and opt-out purposes, and leaves the rest for review", () => {
    const { covered, forReview } = purposesCovered(m, "objection", rights("eea"));
    expect(covered).toEqual(expect.arrayContaining(["marketing_email", "session_replay", "forum_post_reuse"]));
    expect(forReview).toEqual(expect.arrayContaining(["analytics_and_improvement", "technical_support_and_security"]));
    expect(covered.filter((k) => forReview.includes(k))).toEqual([]);
  });
});
