import { describe, expect, it } from "vitest";
import { countryInSentence, dateInWords, listInWords } from "../../src/notice/plain-words.ts";
import { periodInWords, triggerInWords } from "../../src/notice/retention-in-words.ts";

describe("retention in words", () => {
  it("spells out ISO 8601 periods", () => {
    expect(periodInWords("P7Y")).toBe("7 years");
    expect(periodInWords("P1Y6M")).toBe("1 year and 6 months");
    expect(periodInWords("P1M2W3D")).toBe("1 month, 2 weeks and 3 days");
  });

  it("describes every kind of trigger", () => {
    expect(triggerInWords({ kind: "period", period: "P7Y", days: 2555, from: "completed_at" })).toBe(
      "7 years from completed_at",
    );
    expect(triggerInWords({ kind: "event", event: "identity_verification.succeeded" })).toBe(
      "until identity verification succeeds",
    );
    expect(triggerInWords({ kind: "event", event: "contract.ended" })).toBe("until contract ended");
    expect(triggerInWords({ kind: "account_lifetime", grace_days: 0 })).toBe("while the account exists");
    expect(triggerInWords({ kind: "account_lifetime", grace_days: 730 })).toBe(
      "while the account exists and 2 years after it is closed",
    );
    expect(triggerInWords({ kind: "legal", description: "Ten years under tax law." })).toBe(
      "as long as the law requires: ten years under tax law",
    );
  });
});

describe("plain words", () => {
  it("writes dates, lists and countries the way a sentence needs them", () => {
    expect(dateInWords("2025-01-01")).toBe("1 January 2025");
    expect(listInWords(["a", "b", "c"], "or")).toBe("a, b or c");
    expect(countryInSentence("US")).toBe("the United States");
    expect(countryInSentence("DE")).toBe("Germany");
  });
});
