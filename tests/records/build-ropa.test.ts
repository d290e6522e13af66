import { beforeAll, describe, expect, it } from "vitest";
import { isStewardError } from "../../src/errors.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { buildRopa } from "../../src/records/build-ropa.ts";
import type { Ropa } from "../../src/records/ropa-types.ts";
import { loadFixture } from "../notice/fixture.ts";

let manifest: Manifest;
let ropa: Ropa;
beforeAll(async () => {
  manifest = await loadFixture();
  ropa = buildRopa(manifest);
});

const activity = (key: string) => [...ropa.activities, ...ropa.processor.activities].find((a) => a.key === key)!;

describe("Art. 30 records from the fixture manifest", () => {
  it("makes every purpose exactly one activity, in the record its role calls for", () => {
    const keys = [...ropa.activities, ...ropa.processor.activities].map((a) => a.key);
    expect(keys.sort()).toEqual(manifest.purposes.map((p) => p.key).sort());
    expect(ropa.activities.every((a) => a.record === "30(1)")).toBe(true);
    expect(ropa.processor.activities.map((a) => [a.key, a.record, a.controller.name])).toEqual([
      ["degree_programs", "30(2)", "Partner universities"],
    ]);
  });

  it("names the controller, its EU and UK representatives and its DPO", () => {
    expect(ropa.controller.name).toBe("Example Learning, Inc.");
    expect(ropa.controller.contact.email).toBe("privacy@example-learning.test");
    expect(ropa.controller.representatives.map((r) => [r.region, r.name])).toEqual([
      ["EU", "Example Learning Europe B.V."],
      ["UK", "Example Learning UK Ltd"],
    ]);
    expect(ropa.controller.dpo?.email).toBe("dpo@example-learning.test");
    expect(ropa.controller.security_measures).toHaveLength(2);
  });

  it("lists partner_universities in the processor record with the data held for it", () => {
    expect(ropa.processor.controllers).toHaveLength(1);
    const [uni] = ropa.processor.controllers;
    expect(uni).toMatchObject({
      key: "partner_universities",
      name: "Partner universities",
      url: "https://university.example/privacy",
    });
    expect(uni!.holdings.map((h) => [h.collection, h.personal_data.map((d) => d.key)])).toEqual([
      ["app.degree_enrollments", ["user.unique_id", "user.education.enrollment"]],
    ]);
  });

  it("shows the mechanism of a transfer to a US processor and marks third-country recipients", () => {
    const payments = activity("payments");
    expect(payments.recipients).toEqual([
      { key: "stripe", name: "Stripe", kind: "processor", countries: ["US"], third_country: true },
    ]);
    expect(payments.transfers).toContainEqual({
      to: "Stripe",
      countries: ["US"],
      mechanisms: ["eu_us_dpf", "uk_extension_dpf"],
      safeguard: "EU-U.S. DPF, UK Extension to the EU-U.S. DPF",
    });
    // Only the third countries of a recipient are a transfer; a recipient inside the EEA is none.
    expect(activity("provide_courses").transfers.find((t) => t.to === "Cloud hosting provider")?.countries).toEqual([
      "US",
    ]);
    const idCheck = activity("identity_verification");
    expect(idCheck.recipients[0]?.third_country).toBe(false);
    expect(idCheck.transfers.map((t) => t.to)).toEqual(["Example Learning (own hosting)"]);
    expect(activity("degree_programs").transfers.find((t) => t.to === "Partner universities")?.safeguard).toBe(
      "no safeguard recorded",
    );
  });

  it("gives the time limits for erasure from the rules covering the activity's categories", () => {
    expect(activity("identity_verification").time_limits.map((l) => l.limit)).toEqual([
      "until identity verification succeeds, then deleted",
      "while the account exists and 30 days after it is closed, then deleted",
    ]);
    expect(activity("payments").time_limits.map((l) => l.rule)).toEqual(["payments_records", "account_data"]);
    // Each limit names the activity's categories it applies to, the narrower key of each overlap.
    expect(activity("payments").time_limits.map((l) => l.categories.map((c) => c.key))).toEqual([
      ["user.payment"],
      ["user.contact.email"],
    ]);
    expect(activity("product_analytics").time_limits).toEqual([]);
  });

  it("fills categories of data subjects and personal data with taxonomy names", () => {
    const a = activity("identity_verification");
    expect(a.data_subjects).toEqual([{ key: "learner", name: "Learners" }]);
    expect(a.personal_data.map((d) => d.name)).toEqual(["Name", "Identity document image"]);
    expect(a.legal_basis).toBe("contract");
  });

  it("refuses a manifest without organization with a coded error", () => {
    const { organization: _o, ...rest } = manifest;
    let code = "no error";
    try {
      buildRopa(rest);
    } catch (e) {
      code = isStewardError(e) ? e.code : String(e);
    }
    expect(code).toBe("STW_MANIFEST_MISSING_ORGANIZATION");
  });
});
