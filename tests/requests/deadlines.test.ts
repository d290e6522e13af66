/**
 * The deadline rule packs against dates worked out by hand from the laws (the weekdays checked on a calendar), never
 * from the code: each row says when a request arrived and the day its answer is due.
 */
import { describe, expect, it } from "vitest";
import type { JurisdictionRights, RequestType } from "../../src/manifest/types.ts";
import {
  checkStatedDeadline,
  computeDeadlines,
  type DeadlineCalendar,
  type DeadlineInput,
  deadlineRulesFor,
  describeDeadline,
  PACK_JURISDICTIONS,
  RULE_PACKS,
} from "../../src/requests/deadlines/index.ts";

const at = (iso: string) => new Date(iso);
/** The end of a day in UTC, the default calendar. */
const endOf = (day: string) => `${day}T23:59:59.999Z`;

function deadlines(
  jurisdiction: string,
  input: Partial<DeadlineInput> & { receivedAt: Date },
  calendar?: string | DeadlineCalendar,
  type?: RequestType,
  rights?: JurisdictionRights,
) {
  return computeDeadlines(deadlineRulesFor(jurisdiction, rights, type), input, calendar);
}
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Just enough of a manifest jurisdiction for the rules that read it. */
const rights = (jurisdiction: string, fields: Partial<JurisdictionRights> = {}): JurisdictionRights => ({
  jurisdiction,
  name: jurisdiction,
  law: "Our own commitment",
  default: false,
  regions: [],
  requests: ["access"],
  deadline: { amount: 30, unit: "days" },
  verification: { access: "email" },
  channels: [],
  complaint_authorities: [],
  at: { file: "rights.yml" },
  ...fields,
});

describe("GDPR (eea): one month, two more; Regulation 1182/71 moves a weekend or holiday to the next working day", () => {
  it.each([
    ["same date next month", "2025-03-10T09:00:00Z", "2025-04-10", "2025-06-10"],
    ["31 January, February has 28 days", "2025-01-31T10:00:00Z", "2025-02-28", "2025-04-30"],
    ["31 January in the leap year 2024", "2024-01-31T10:00:00Z", "2024-02-29", "2024-04-30"],
    ["31 January 2028 (leap); 30 April 2028 is a Sunday", "2028-01-31T10:00:00Z", "2028-02-29", "2028-05-01"],
    ["31 January 2100 (not leap); 28 February 2100 is a Sunday", "2100-01-31T10:00:00Z", "2100-03-01", "2100-04-30"],
    ["31 March, April has 30 days", "2025-03-31T10:00:00Z", "2025-04-30", "2025-06-30"],
    ["15 February 2025 is a Saturday: Monday 17th", "2025-01-15T09:00:00Z", "2025-02-17", "2025-04-15"],
    ["31 December: 31 January 2026 is a Saturday", "2025-12-31T09:00:00Z", "2026-02-02", "2026-03-31"],
  ])("%s", (_case, received, due, extended) => {
    const d = deadlines("eea", { receivedAt: at(received) });
    expect(iso(d.clockStartsAt)).toBe(received.replace("Z", ".000Z"));
    expect(iso(d.dueAt)).toBe(endOf(due));
    expect(iso(d.extendedDueAt)).toBe(endOf(extended));
    expect(iso(d.extensionNoticeBy)).toBe(endOf(due));
    expect(d.acknowledgeBy).toBeNull();
  });

  it("a listed public holiday moves the due day too, past the weekend after it", () => {
    // 25 November + one month = Thursday 25 December; 26th is a holiday, 27–28 a weekend.
    const d = deadlines("eea", { receivedAt: at("2025-11-25T12:00:00Z") }, { holidays: ["2025-12-25", "2025-12-26"] });
    expect(iso(d.dueAt)).toBe(endOf("2025-12-29"));
    expect(iso(deadlines("eea", { receivedAt: at("2025-11-25T12:00:00Z") }).dueAt)).toBe(endOf("2025-12-25"));
  });

  it("respondBy is the extended date once the person has been told of the extension", () => {
    const d = deadlines("eea", { receivedAt: at("2025-01-31T10:00:00Z"), extended: true });
    expect(iso(d.respondBy)).toBe(endOf("2025-04-30"));
    expect(iso(deadlines("eea", { receivedAt: at("2025-01-31T10:00:00Z") }).respondBy)).toBe(endOf("2025-02-28"));
  });
});

describe("UK GDPR (uk): the clock starts once identity is confirmed", () => {
  it("has no due date while the requester is unverified", () => {
    const d = deadlines("uk", { receivedAt: at("2025-03-03T10:00:00Z") });
    expect(d.clockStartsAt).toBeNull();
    expect(d.dueAt).toBeNull();
    expect(d.extendedDueAt).toBeNull();
    expect(d.respondBy).toBeNull();
  });

  it.each([
    ["verified a week later", "2025-03-03T10:00:00Z", "2025-03-10T14:00:00Z", "2025-03-10T14:00:00.000Z", "2025-04-10"],
    [
      "verified before it was filed (signed in)",
      "2025-03-03T10:00:00Z",
      "2025-03-01T08:00:00Z",
      "2025-03-03T10:00:00.000Z",
      "2025-04-03",
    ],
    [
      "verified on Saturday 5 April: Monday 5 May",
      "2025-04-04T10:00:00Z",
      "2025-04-05T10:00:00Z",
      "2025-04-05T10:00:00.000Z",
      "2025-05-05",
    ],
  ])("%s", (_case, received, verified, started, due) => {
    const d = deadlines("uk", { receivedAt: at(received), verifiedAt: at(verified) });
    expect(iso(d.clockStartsAt)).toBe(started);
    expect(iso(d.dueAt)).toBe(endOf(due));
  });

  it("counts the extension as three months from the start, and skips the early May bank holiday when listed", () => {
    const d = deadlines("uk", { receivedAt: at("2025-03-03T10:00:00Z"), verifiedAt: at("2025-03-10T14:00:00Z") });
    expect(iso(d.extendedDueAt)).toBe(endOf("2025-06-10"));
    const holiday = deadlines(
      "uk",
      { receivedAt: at("2025-04-04T10:00:00Z"), verifiedAt: at("2025-04-05T10:00:00Z") },
      { holidays: ["2025-05-05"] },
    );
    expect(iso(holiday.dueAt)).toBe(endOf("2025-05-06"));
  });
});

describe("Switzerland (ch): 30 days, the day of receipt not counted; a Saturday moves to Monday", () => {
  it.each([
    ["Monday 6 January → Wednesday 5 February", "2025-01-06T10:00:00Z", "2025-02-05"],
    ["Thursday 2 January → Saturday 1 February → Monday 3rd", "2025-01-02T10:00:00Z", "2025-02-03"],
  ])("%s", (_case, received, due) => {
    expect(iso(deadlines("ch", { receivedAt: at(received) }).dueAt)).toBe(endOf(due));
  });

  it("takes the extension from the manifest, the law setting no maximum", () => {
    expect(deadlineRulesFor("ch").extension).toBeNull();
    const withExtension = rights("ch", { extension: { amount: 30, unit: "days" } });
    const d = deadlines("ch", { receivedAt: at("2025-01-02T10:00:00Z") }, undefined, undefined, withExtension);
    expect(iso(d.extendedDueAt)).toBe(endOf("2025-03-03"));
    expect(d.rule.extension).toMatchObject({ source: "manifest", cite: expect.stringContaining("DPO Art. 18(2)") });
  });
});

describe("California (us_ca): receipt confirmed within 10 business days, 45 + 45 calendar days", () => {
  it.each([
    ["Monday 6 January", "2025-01-06T10:00:00Z", [], "2025-01-20", "2025-02-20", "2025-04-06"],
    [
      "with Martin Luther King Day (20 January) listed",
      "2025-01-06T10:00:00Z",
      ["2025-01-20"],
      "2025-01-21",
      "2025-02-20",
      "2025-04-06",
    ],
    [
      "received on a Saturday: business days start on Monday",
      "2025-01-04T10:00:00Z",
      [],
      "2025-01-17",
      "2025-02-18",
      "2025-04-04",
    ],
  ])("%s", (_case, received, holidays, ack, due, extended) => {
    const d = deadlines("us_ca", { receivedAt: at(received) }, { holidays });
    expect(iso(d.acknowledgeBy)).toBe(endOf(ack));
    expect(iso(d.dueAt)).toBe(endOf(due));
    // Sunday 6 April stays: California moves only a listed holiday.
    expect(iso(d.extendedDueAt)).toBe(endOf(extended));
  });

  it("an opt-out or a request to limit has 15 business days, no receipt to confirm and no extension", () => {
    for (const type of ["opt_out_sale_sharing", "limit_sensitive"] as const) {
      const d = deadlines("us_ca", { receivedAt: at("2025-01-06T10:00:00Z") }, { holidays: ["2025-01-20"] }, type);
      expect(iso(d.dueAt)).toBe(endOf("2025-01-28"));
      expect(d.acknowledgeBy).toBeNull();
      expect(d.extendedDueAt).toBeNull();
      expect(() => deadlines("us_ca", { receivedAt: at("2025-01-06T10:00:00Z"), extended: true }, "UTC", type)).toThrow(
        expect.objectContaining({ code: "STW_DEADLINE_NO_EXTENSION" }),
      );
    }
    const noHolidays = deadlines("us_ca", { receivedAt: at("2025-01-06T10:00:00Z") }, {}, "opt_out_sale_sharing");
    expect(iso(noHolidays.dueAt)).toBe(endOf("2025-01-27"));
  });
});

describe("Virginia, Colorado, Connecticut: 45 + 45 days and an appeal clock of their own", () => {
  it.each([
    // Virginia moves no due day; Sunday 6 April stays.
    ["us_va", "2025-01-06T10:00:00Z", "2025-02-20", "2025-04-06"],
    // Colorado moves a Saturday (22 February) to Monday (C.R.S. §2-4-108(2)).
    ["us_co", "2025-01-08T10:00:00Z", "2025-02-24", "2025-04-08"],
    ["us_ct", "2025-01-06T10:00:00Z", "2025-02-20", "2025-04-06"],
  ])("%s: received %s", (jurisdiction, received, due, extended) => {
    const d = deadlines(jurisdiction, { receivedAt: at(received) });
    expect(iso(d.dueAt)).toBe(endOf(due));
    expect(iso(d.extendedDueAt)).toBe(endOf(extended));
  });

  it.each([
    ["us_va", "2025-03-01T10:00:00Z", "2025-04-30", null],
    ["us_co", "2025-03-03T10:00:00Z", "2025-04-17", "2025-06-16"],
    ["us_ct", "2025-03-01T10:00:00Z", "2025-04-30", null],
  ])("%s: an appeal received %s", (jurisdiction, received, due, extended) => {
    const appeal = deadlineRulesFor(jurisdiction).appeal!;
    const d = computeDeadlines(appeal, { receivedAt: at(received) });
    expect(iso(d.dueAt)).toBe(endOf(due));
    expect(d.extendedDueAt && iso(d.extendedDueAt)).toBe(extended && endOf(extended));
  });

  it("Colorado's appeal: 45 days from its receipt, 60 more with notice, each figure and the process cited to C.R.S. §6-1-1306(3)", () => {
    const appeal = deadlineRulesFor("us_co").appeal!;
    expect(appeal).toMatchObject({
      law: "the Colorado Privacy Act (appeal)",
      clockStarts: { at: "receipt", cite: "C.R.S. §6-1-1306(3): from receipt of the appeal" },
      acknowledge: null,
      respond: { amount: 45, unit: "days", cite: "C.R.S. §6-1-1306(3)", source: "law" },
      extension: { amount: 60, unit: "days", source: "law" },
      appeal: null,
    });
    expect(appeal.extension!.cite).toMatch(/^C\.R\.S\. §6-1-1306\(3\)/);
    expect(appeal.notes.join(" ")).toMatch(/^C\.R\.S\. §6-1-1306\(3\): .*appeal process.*Attorney General/);
    // Received on a Monday; day 45 is Thursday 17 April, day 105 Monday 16 June (no roll-over needed).
    const d = computeDeadlines(appeal, { receivedAt: at("2025-03-03T10:00:00Z") });
    expect([iso(d.dueAt), iso(d.extendedDueAt)]).toEqual([endOf("2025-04-17"), endOf("2025-06-16")]);
    // Day 45 of an appeal received on 8 January 2025 is Saturday 22 February: it moves to Monday (C.R.S. §2-4-108(2)).
    expect(iso(computeDeadlines(appeal, { receivedAt: at("2025-01-08T10:00:00Z") }).dueAt)).toBe(endOf("2025-02-24"));
  });

  it("every state's appeal rule cites the provision that sets up the appeal process", () => {
    for (const [jurisdiction, cite] of [
      ["us_va", "Va. Code §59.1-577(C)"],
      ["us_co", "C.R.S. §6-1-1306(3)"],
      ["us_ct", "Conn. Gen. Stat. §42-518(d)"],
    ] as const) {
      const appeal = deadlineRulesFor(jurisdiction).appeal!;
      expect(appeal.respond.cite.startsWith(cite), jurisdiction).toBe(true);
      expect(
        appeal.notes.some((n) => n.startsWith(`${cite}: `) && /appeal process/.test(n)),
        jurisdiction,
      ).toBe(true);
    }
  });

  it("Connecticut stops processing within 15 days of a consent revocation", () => {
    const d = deadlines("us_ct", { receivedAt: at("2025-01-06T10:00:00Z") }, "UTC", "withdraw_consent");
    expect(iso(d.dueAt)).toBe(endOf("2025-01-21"));
    expect(d.extendedDueAt).toBeNull();
  });
});

describe("Brazil (br): the full statement within 15 days", () => {
  it("counts 15 days from the day after the request, moving off a listed holiday to the next working day", () => {
    expect(iso(deadlines("br", { receivedAt: at("2025-01-06T10:00:00Z") }).dueAt)).toBe(endOf("2025-01-21"));
    // 15 November 2025 (a national holiday) is a Saturday: Monday 17th.
    const holiday = deadlines("br", { receivedAt: at("2025-10-31T10:00:00Z") }, { holidays: ["2025-11-15"] });
    expect(iso(holiday.dueAt)).toBe(endOf("2025-11-17"));
    // The text names holidays, not weekends: an unlisted Saturday stays.
    expect(iso(deadlines("br", { receivedAt: at("2025-10-31T10:00:00Z") }).dueAt)).toBe(endOf("2025-11-15"));
    expect(deadlineRulesFor("br").extension).toBeNull();
  });
});

describe("a jurisdiction without a rule pack takes the manifest's figures", () => {
  it("counts days and months as the manifest states them, moving no due day", () => {
    const days = rights("global", { extension: { amount: 30, unit: "days" } });
    const d = deadlines("global", { receivedAt: at("2025-01-06T10:00:00Z") }, undefined, undefined, days);
    expect(iso(d.dueAt)).toBe(endOf("2025-02-05"));
    expect(iso(d.extendedDueAt)).toBe(endOf("2025-03-07"));
    expect(d.rule).toMatchObject({ source: "manifest", respond: { source: "manifest" } });
    const month = rights("acme_only", { deadline: { amount: 1, unit: "months" } });
    const m = deadlines("acme_only", { receivedAt: at("2100-01-31T10:00:00Z") }, undefined, undefined, month);
    expect(iso(m.dueAt)).toBe(endOf("2100-02-28")); // a Sunday, and 2100 is no leap year
    expect(m.extendedDueAt).toBeNull();
  });

  it("needs the manifest's rights when no pack knows the key", () => {
    expect(() => deadlineRulesFor("atlantis")).toThrow(
      expect.objectContaining({ code: "STW_DEADLINE_UNKNOWN_JURISDICTION", message: expect.stringContaining('"eea"') }),
    );
  });
});

describe("pauses push the answer's dates by the time the clock stood still", () => {
  const receivedAt = at("2025-01-06T09:00:00Z"); // due Thursday 6 February under the GDPR

  it.each([
    ["none", [], undefined, 0, "2025-02-06T23:59:59.999Z"],
    [
      "a closed pause of 3 days",
      [{ from: at("2025-01-10T12:00:00Z"), to: at("2025-01-13T12:00:00Z") }],
      undefined,
      259_200_000,
      "2025-02-09T23:59:59.999Z",
    ],
    [
      "an open pause, counted up to now",
      [{ from: at("2025-01-20T00:00:00Z") }],
      at("2025-01-22T00:00:00Z"),
      172_800_000,
      "2025-02-08T23:59:59.999Z",
    ],
    [
      "overlapping pauses, counted once (10th 12:00 to 14th 12:00)",
      [
        { from: at("2025-01-10T12:00:00Z"), to: at("2025-01-13T12:00:00Z") },
        { from: at("2025-01-12T12:00:00Z"), to: at("2025-01-14T12:00:00Z") },
      ],
      undefined,
      345_600_000,
      "2025-02-10T23:59:59.999Z",
    ],
    [
      "a pause of six hours",
      [{ from: at("2025-01-07T08:00:00Z"), to: at("2025-01-07T14:00:00Z") }],
      undefined,
      21_600_000,
      "2025-02-07T05:59:59.999Z",
    ],
  ])("%s", (_case, pauses, now, pausedMs, due) => {
    const d = deadlines("eea", { receivedAt, pauses, ...(now ? { now } : {}) });
    expect(d.pausedMs).toBe(pausedMs);
    expect(iso(d.dueAt)).toBe(due);
  });

  it("moves the extended date and the extension notice too, but not the confirmation of receipt", () => {
    const pauses = [{ from: at("2025-01-10T00:00:00Z"), to: at("2025-01-11T00:00:00Z") }];
    const d = deadlines("us_ca", { receivedAt: at("2025-01-06T10:00:00Z"), pauses });
    expect(iso(d.acknowledgeBy)).toBe(endOf("2025-01-20"));
    expect(iso(d.dueAt)).toBe("2025-02-21T23:59:59.999Z");
    expect(iso(d.extensionNoticeBy)).toBe("2025-02-21T23:59:59.999Z");
    expect(iso(d.extendedDueAt)).toBe("2025-04-07T23:59:59.999Z");
  });

  it("does not count a pause before a stop-the-clock rule's clock started", () => {
    const d = deadlines("uk", {
      receivedAt: at("2025-03-01T10:00:00Z"),
      verifiedAt: at("2025-03-05T10:00:00Z"),
      pauses: [{ from: at("2025-03-02T00:00:00Z"), to: at("2025-03-04T00:00:00Z") }],
    });
    expect(d.pausedMs).toBe(0);
    expect(iso(d.dueAt)).toBe(endOf("2025-04-07")); // 5 April is a Saturday
  });
});

describe("days are the controller's: receipt and due day in its time zone", () => {
  it("23:30 UTC on 31 January is 1 February in Amsterdam: due Monday 3 March (1 March is a Saturday)", () => {
    const receivedAt = at("2025-01-31T23:30:00Z");
    expect(iso(deadlines("eea", { receivedAt }, "Europe/Amsterdam").dueAt)).toBe("2025-03-03T22:59:59.999Z");
    expect(iso(deadlines("eea", { receivedAt }).dueAt)).toBe(endOf("2025-02-28"));
  });

  it("ends a day in summer time at 23:59:59.999 local (UTC+2 in Amsterdam after 30 March)", () => {
    const d = deadlines("eea", { receivedAt: at("2025-03-10T09:00:00Z") }, { timeZone: "Europe/Amsterdam" });
    expect(iso(d.dueAt)).toBe("2025-04-10T21:59:59.999Z");
  });

  it("a request at 19:00 in Los Angeles on 6 January (03:00 UTC on the 7th) is received on the 6th there", () => {
    const d = deadlines("us_ca", { receivedAt: at("2025-01-07T03:00:00Z") }, "America/Los_Angeles");
    expect(iso(d.dueAt)).toBe("2025-02-21T07:59:59.999Z");
    expect(iso(d.acknowledgeBy)).toBe("2025-01-21T07:59:59.999Z");
  });
});

describe("bad input is refused with a coded error", () => {
  const receivedAt = at("2025-01-06T09:00:00Z");
  it.each([
    ["an unknown time zone", { receivedAt }, "Mars/Olympus", "timeZone"],
    ["a holiday that is no date", { receivedAt }, { holidays: ["2025-02-30"] }, "holiday"],
    ["an invalid receipt", { receivedAt: new Date("not a date") }, "UTC", "receivedAt"],
    [
      "a pause that ends before it starts",
      { receivedAt, pauses: [{ from: at("2025-01-09T00:00:00Z"), to: at("2025-01-08T00:00:00Z") }] },
      "UTC",
      "pause",
    ],
  ])("%s", (_case, input, calendar, field) => {
    expect(() => deadlines("eea", input, calendar)).toThrow(
      expect.objectContaining({ code: "STW_DEADLINE_BAD_INPUT", message: expect.stringContaining(`invalid ${field}`) }),
    );
  });
});

describe("describeDeadline says the rule in plain words", () => {
  it.each([
    [
      "eea",
      "one month from the day we receive your request; up to two more months for complex or numerous requests, and we tell you why within the first month",
    ],
    [
      "uk",
      "one month from the day we have confirmed who you are (the day we receive your request, if we need nothing more from you); up to two more months for complex or numerous requests, and we tell you why within the first month",
    ],
    [
      "us_ca",
      "45 days from the day we receive your request, and we confirm within 10 business days that we have it; up to 45 more days when we need them, and we tell you why within the first 45 days",
    ],
    [
      "us_va",
      "45 days from the day we receive your request; up to 45 more days for complex or numerous requests, and we tell you why within the first 45 days; if we turn your request down you can appeal, and we answer an appeal within 60 days",
    ],
    [
      "us_co",
      "45 days from the day we receive your request; up to 45 more days for complex or numerous requests, and we tell you why within the first 45 days; if we turn your request down you can appeal, and we answer an appeal within 45 days (up to 60 more days when needed, and we tell you why within the first 45 days)",
    ],
    ["br", "15 days from the day we receive your request"],
  ])("%s", (jurisdiction, words) => {
    expect(describeDeadline(deadlineRulesFor(jurisdiction))).toBe(words);
  });

  it("says how Switzerland's longer answer works, and California's opt-out clock", () => {
    const ch = deadlineRulesFor("ch", rights("ch", { extension: { amount: 30, unit: "days" } }));
    expect(describeDeadline(ch)).toBe(
      "30 days from the day we receive your request; if we need longer, we tell you within the first 30 days when you will hear from us (at most 30 more days)",
    );
    expect(describeDeadline(deadlineRulesFor("us_ca", undefined, "opt_out_sale_sharing"))).toBe(
      "15 business days from the day we receive your request",
    );
  });
});

describe("checkStatedDeadline: does the manifest state the law's figures?", () => {
  const month = { amount: 1, unit: "months" } as const;
  it.each<[string, string, Partial<JurisdictionRights>, string[]]>([
    [
      "eea",
      "30 days where the law says one month",
      { deadline: { amount: 30, unit: "days" }, extension: { amount: 2, unit: "months" } },
      ["deadline"],
    ],
    [
      "eea",
      "60 days where the law says two more months",
      { deadline: month, extension: { amount: 60, unit: "days" } },
      ["extension"],
    ],
    ["eea", "no extension where the law allows two months", { deadline: month }, ["extension"]],
    ["eea", "the law's figures", { deadline: month, extension: { amount: 2, unit: "months" } }, []],
    [
      "us_ca",
      "45 + 45 days, as the law says",
      { deadline: { amount: 45, unit: "days" }, extension: { amount: 45, unit: "days" } },
      [],
    ],
    [
      "us_ca",
      "30 days where the law says 45",
      { deadline: { amount: 30, unit: "days" }, extension: { amount: 45, unit: "days" } },
      ["deadline"],
    ],
    [
      "br",
      "an extension the law does not allow",
      { deadline: { amount: 15, unit: "days" }, extension: { amount: 15, unit: "days" } },
      ["extension"],
    ],
    [
      "ch",
      "any extension (the law sets no maximum)",
      { deadline: { amount: 30, unit: "days" }, extension: { amount: 90, unit: "days" } },
      [],
    ],
    ["global", "anything (no law to compare with)", { deadline: { amount: 10, unit: "business_days" } }, []],
  ])("%s: %s", (jurisdiction, _case, fields, fieldsThatDiffer) => {
    const r = rights(jurisdiction, fields);
    expect(checkStatedDeadline(deadlineRulesFor(jurisdiction, r), r).map((m) => m.field)).toEqual(fieldsThatDiffer);
  });
});

describe("the rule packs", () => {
  it("cover the reference manifest's jurisdictions and Brazil; each figure cites its provision", () => {
    expect(PACK_JURISDICTIONS).toEqual(["eea", "uk", "ch", "us_ca", "us_va", "us_co", "us_ct", "br"]);
    const rules = Object.values(RULE_PACKS).flatMap((p) => [
      p.rule,
      ...p.byRequest,
      ...(p.rule.appeal ? [p.rule.appeal] : []),
    ]);
    for (const rule of rules) {
      for (const period of [rule.respond, rule.extension, rule.acknowledge])
        if (period) expect(period.cite).toMatch(/(Art\.|§)\s?\d/);
      expect(rule.clockStarts.cite.length).toBeGreaterThan(10);
      expect(rule.counting.length).toBeGreaterThan(10);
      expect(rule.sources.length).toBeGreaterThan(0);
    }
    for (const pack of Object.values(RULE_PACKS))
      for (const rule of pack.byRequest) expect(rule.requestTypes?.length).toBeGreaterThan(0);
  });
});
