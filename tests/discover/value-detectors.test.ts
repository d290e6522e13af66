import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectValues } from "../../src/discover/detect-values.ts";
import { passesLuhn } from "../../src/discover/luhn.ts";
import { sampledText } from "../../src/discover/sampled-text.ts";
import {
  isBirthDate,
  isCardNumber,
  isEmail,
  isIpAddress,
  isPersonName,
  isPhoneNumber,
} from "../../src/discover/value-detectors.ts";

const today = new Date(2026, 0, 15);

/** Appends the Luhn check digit to `body`. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (passesLuhn(`${body}${d}`)) return `${body}${d}`;
  throw new Error("unreachable");
}

describe("Luhn", () => {
  it("accepts the published test card numbers and rejects a changed digit", () => {
    for (const n of ["4111111111111111", "5500005555555559", "340000000000009", "6011000990139424"])
      expect(passesLuhn(n)).toBe(true);
    expect(passesLuhn("4111111111111112")).toBe(false);
    expect(passesLuhn("41111a1111111111")).toBe(false);
  });

  it("a check digit makes any body pass, and changing any one digit breaks it", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 12, maxLength: 18 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (body, where, delta) => {
          const n = withCheckDigit(body);
          expect(passesLuhn(n)).toBe(true);
          const i = where % n.length;
          const changed = `${n.slice(0, i)}${(Number(n[i]) + delta) % 10}${n.slice(i + 1)}`;
          expect(passesLuhn(changed)).toBe(false);
        },
      ),
    );
  });
});

describe("value detectors", () => {
  it("e-mail addresses", () => {
    expect(["ada@example.com", "a.b+tag@mail.example.co.uk"].every(isEmail)).toBe(true);
    expect(["ada@example", "not an email", "@example.com", "a@b@c.com", "ada@.com"].some(isEmail)).toBe(false);
  });

  it("phone numbers, E.164-ish, not dates, IPs or bare numbers", () => {
    expect(["+44 20 7946 0958", "+12025550143", "(202) 555-0143", "020 7946 0958"].every(isPhoneNumber)).toBe(true);
    expect(["2024-01-15", "192.168.100.200", "1234.5678", "12345678", "+123", "call me"].some(isPhoneNumber)).toBe(
      false,
    );
  });

  it("IPv4 and IPv6 addresses", () => {
    expect(["192.0.2.1", "255.255.255.255", "2001:db8::1", "::1"].every(isIpAddress)).toBe(true);
    expect(["256.1.1.1", "1.2.3", "10:30", "v1.2.3.4"].some(isIpAddress)).toBe(false);
  });

  it("card numbers: 13–19 digits passing Luhn, grouped or not, never one digit repeated", () => {
    expect(
      ["4111111111111111", "4111 1111 1111 1111", "5500-0055-5555-5559", "340000000000009"].every(isCardNumber),
    ).toBe(true);
    expect(["4111111111111112", "0000000000000", "411111111111", "4111x111111111111"].some(isCardNumber)).toBe(false);
  });

  it("dates of birth: calendar dates 0 to 120 years before today", () => {
    expect(["1985-12-10", "2020-02-29", "1906-01-16"].every((t) => isBirthDate(t, today))).toBe(true);
    expect(["1905-01-14", "2026-03-01", "1985-13-01", "1985-12-10T10:00:00"].some((t) => isBirthDate(t, today))).toBe(
      false,
    );
  });

  it("person names: a common given name first, letters only", () => {
    expect(["Ada", "alan turing", "María José García", "Jean-Luc"].filter(isPersonName)).toEqual([
      "alan turing",
      "María José García",
      "Jean-Luc",
    ]);
    expect(["Machine Learning", "Grace Hopper", "Olivia 2", "Mark"].some(isPersonName)).toBe(false);
  });

  it("sampled values become text: dates at midnight are days, other moments keep their time", () => {
    expect(sampledText(new Date(1985, 11, 10))).toBe("1985-12-10");
    expect(sampledText(new Date(1985, 11, 10, 13, 5))).toBe("1985-12-10T13:05:00");
    expect(sampledText(42n)).toBe("42");
    expect([sampledText("  "), sampledText(null), sampledText(true), sampledText(Buffer.from("x"))]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("detectValues: shares and counts, never values", () => {
  it("an e-mail address counts from one value; looser shapes need most values", () => {
    const notes = ["call back", "ada@example.com", "fine", null, "ok"];
    const found = detectValues(notes, { today });
    expect(found).toEqual([
      {
        category: "user.contact.email",
        matched: 1,
        of: 4,
        reason: "1/4 sampled values look like e-mail addresses",
      },
    ]);
    expect(JSON.stringify(found)).not.toContain("ada@");
    const ids = ["4111111111111111", "1234567890123456", "1234567890123457", "1234567890123458"];
    expect(detectValues(ids, { today })).toEqual([]);
  });

  it("dates of birth can be left out (for timestamp-like columns)", () => {
    const days = [new Date(1970, 1, 2), new Date(1980, 3, 4), new Date(1999, 5, 6)];
    expect(detectValues(days, { today }).map((e) => e.category)).toEqual(["user.demographic.date_of_birth"]);
    expect(detectValues(days, { today, skip: (d) => d.category === "user.demographic.date_of_birth" })).toEqual([]);
  });
});
