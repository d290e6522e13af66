import { describe, expect, it } from "vitest";
import {
  consentMechanism,
  defaultJurisdiction,
  isSaleOrSharing,
  sensitiveCategoriesOf,
} from "../../src/manifest/jurisdictions.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { resolveJurisdiction } from "../../src/requests/jurisdiction.ts";
import { BASE, load, parse } from "./helpers.ts";

const RIGHTS = `rights:
  - jurisdiction: eea
    name: European Economic Area
    law: GDPR
    regions: [EEA]
    requests: [access]
    deadline: 1 month
    verification: email
  - jurisdiction: uk
    name: United Kingdom
    law: UK GDPR
    regions: [GB]
    requests: [access]
    deadline: 1 month
    verification: email
  - jurisdiction: us_ca
    name: California
    law: CCPA
    regions: [US-CA]
    requests: [access]
    deadline: 45 days
    verification: email
  - jurisdiction: everyone
    name: Everyone else
    law: Our own commitment
    default: true
    regions: [ZZ]
    requests: [access]
    deadline: 30 days
    verification: email
`;

function withPurpose(lines: string, rights = RIGHTS): Record<string, string> {
  return {
    ...BASE,
    "rights.yml": rights,
    "purposes.yml": BASE["purposes.yml"].replace("    legal_basis: contract\n", `${lines}\n`),
  };
}

const rightsOf = (m: Manifest, key: string) => {
  const r = m.rights.find((x) => x.jurisdiction === key);
  if (!r) throw new Error(`no ${key}`);
  return r;
};

describe("consent keys name the rights jurisdictions", () => {
  it("takes the most specific key: the jurisdiction, then a region, then a region that holds it, then default", () => {
    const m = load(
      withPurpose("    legal_basis: consent\n    consent: {uk: opt_out, EEA: opt_in, US: opt_out, default: opt_in}"),
    );
    const [p] = m.purposes;
    if (!p) throw new Error("no purpose");
    expect(consentMechanism(p, rightsOf(m, "uk"))).toEqual({ mechanism: "opt_out", source: "consent.uk" });
    expect(consentMechanism(p, rightsOf(m, "eea"))).toEqual({ mechanism: "opt_in", source: "consent.EEA" });
    expect(consentMechanism(p, rightsOf(m, "us_ca"))).toEqual({ mechanism: "opt_out", source: "consent.US" });
    expect(consentMechanism(p, rightsOf(m, "everyone"))).toEqual({ mechanism: "opt_in", source: "consent.default" });
  });

  it("without a key that applies, the legal basis decides: consent is opt-in, contract needs no choice", () => {
    const m = load(withPurpose("    legal_basis: consent\n    consent: {EEA: opt_in}"));
    const c = load(withPurpose("    legal_basis: contract"));
    expect(consentMechanism(m.purposes[0]!, rightsOf(m, "us_ca")).mechanism).toBe("opt_in");
    expect(consentMechanism(c.purposes[0]!, rightsOf(c, "us_ca"))).toEqual({
      mechanism: "notice_only",
      source: "legal basis contract",
    });
  });

  it("refuses a consent key that names no jurisdiction, with the known keys and the closest one", () => {
    const { errors } = parse(withPurpose("    legal_basis: consent\n    consent: {EEA: opt_in, Califronia: opt_out}"));
    const e = errors.find((x) => x.code === "STW_MANIFEST_UNKNOWN_REFERENCE");
    expect(e?.message).toContain('unknown consent jurisdiction "Califronia"');
    expect(e?.message).toContain('"us_ca"');
    expect(e?.location?.file).toBe("purposes.yml");
  });

  it("refuses two default jurisdictions", () => {
    const two = RIGHTS.replace("    law: UK GDPR\n", "    law: UK GDPR\n    default: true\n");
    const { errors } = parse(withPurpose("    legal_basis: contract", two));
    const e = errors.find((x) => x.code === "STW_MANIFEST_INVALID_VALUE");
    expect(e?.message).toContain('default: true on "everyone"');
    expect(e?.message).toContain('"uk" already is');
  });

  it("resolves a person from an uncovered country to the jurisdiction marked default", () => {
    const m = load(withPurpose("    legal_basis: contract"));
    expect(defaultJurisdiction(m)?.jurisdiction).toBe("everyone");
    expect(resolveJurisdiction(m, undefined, "JP").jurisdiction).toBe("everyone");
    expect(resolveJurisdiction(m, undefined, "DE").jurisdiction).toBe("eea");
  });
});

describe("sensitive data and sale or sharing", () => {
  it("makes sensitive data opt-in everywhere beyond the service, whatever the key says", () => {
    const m = load(
      withPurpose(
        "    legal_basis: legitimate_interests\n" +
          "    legitimate_interest: {interest: x, necessity: y, balancing: z, assessed_on: 2025-01-01}\n" +
          "    consent: {default: opt_out}",
      ),
    );
    const p = { ...m.purposes[0]!, data_categories: ["user.health_and_medical.record_id"] };
    expect(sensitiveCategoriesOf(p)).toEqual(["user.health_and_medical"]);
    expect(consentMechanism(p, rightsOf(m, "us_ca"))).toEqual({ mechanism: "opt_in", source: "sensitive data" });
    // A broad parent does not make a purpose sensitive, and a contract purpose needs no choice for the same data.
    expect(sensitiveCategoriesOf({ ...p, data_categories: ["user"] })).toEqual([]);
    expect(consentMechanism({ ...p, legal_basis: "contract" }, rightsOf(m, "us_ca")).mechanism).toBe("opt_out");
  });

  it("counts advertising uses as sale or sharing unless the purpose says otherwise", () => {
    const m = load(withPurpose("    legal_basis: contract"));
    const p = m.purposes[0]!;
    expect(isSaleOrSharing(p)).toBe(false);
    expect(isSaleOrSharing({ ...p, data_use: "marketing.advertising.third_party.targeted" })).toBe(true);
    expect(isSaleOrSharing({ ...p, data_use: "marketing.advertising", sale_or_sharing: false })).toBe(false);
  });
});
