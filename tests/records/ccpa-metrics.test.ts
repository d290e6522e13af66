/**
 * The CCPA metrics (11 CCR §7102(a)(1)): the counting on hand-made rows with hand-computed figures, then the same
 * counting on a real store (requests and audit events written as Steward writes them) and through `steward report`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { appendAuditEvent } from "../../src/audit/append-audit-event.ts";
import type { RequestType } from "../../src/manifest/types.ts";
import {
  buildCcpaMetrics,
  CCPA_CSV_COLUMNS,
  type CcpaCategoryMetrics,
  type CcpaEventKind,
  type CcpaMetrics,
  type CcpaRequestRow,
  type CcpaRows,
  formatCcpaMetrics,
} from "../../src/records/ccpa-metrics.ts";
import { readCcpaRows } from "../../src/records/read-ccpa-rows.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { steward } from "../cli/run-cli.ts";
import { parseCsv } from "./parse-csv.ts";

const FROM = new Date("2025-01-01T00:00:00Z");
const TO = new Date("2026-01-01T00:00:00Z");

interface Answer {
  readonly kind: CcpaEventKind;
  readonly at: string;
  readonly reason?: string;
  readonly exemption?: string;
}

let n = 0;
function request(type: RequestType, received: string, ...answers: Answer[]): CcpaRequestRow {
  n += 1;
  return {
    id: `r${n}`,
    type,
    received_at: new Date(received),
    events: answers.map((a) => ({
      kind: a.kind,
      at: new Date(a.at),
      reason: a.reason ?? null,
      exemption: a.exemption ?? null,
    })),
  };
}
const done = (at: string): Answer => ({ kind: "request.completed", at });
const partial = (at: string): Answer => ({ kind: "request.partially_completed", at });
const denied = (at: string, reason: string, exemption?: string): Answer => ({
  kind: "request.denied",
  at,
  reason,
  ...(exemption ? { exemption } : {}),
});

function rows(requests: readonly CcpaRequestRow[], firstReceived = "2024-06-01T00:00:00Z"): CcpaRows {
  return {
    year: 2025,
    time_zone: "UTC",
    from: FROM,
    to: TO,
    jurisdictions: ["us_ca"],
    requests,
    store: {
      requests: requests.length,
      first_received: new Date(firstReceived),
      last_received: new Date("2026-02-01"),
    },
    read_at: new Date("2026-03-01T00:00:00Z"),
  };
}

const category = (m: CcpaMetrics, name: string): CcpaCategoryMetrics => {
  const c = m.categories.find((x) => x.category === name);
  if (!c) throw new Error(`no category ${name}`);
  return c;
};

// Operators' reasons: none of these may ever reach the report.
const TYPED = ["Could not verify the requester at 12 Elm St", "could  not verify the requester at 12 elm st ", "Dup"];

const SAMPLE = [
  // Requests to delete: 2.5, 0.2 (same day) and 10.0 days → median 2.5 (odd count), mean 127/30 = 4.23 → 4.2.
  request("erasure", "2025-03-01T00:00:00Z", done("2025-03-03T12:00:00Z")),
  request("erasure", "2025-04-01T08:00:00Z", done("2025-04-01T12:48:00Z")),
  request("erasure", "2025-05-01T00:00:00Z", done("2025-05-11T00:00:00Z")),
  // Requests to know: 1.0, 2.0, 3.5 (partial) and 10.0 (denied under an exemption) → median (2.0 + 3.5) / 2 = 2.75
  // → 2.8 (even count), mean 16.5 / 4 = 4.125 → 4.1.
  request("access", "2025-02-01T00:00:00Z", done("2025-02-02T00:00:00Z")),
  request("access", "2025-02-01T00:00:00Z", done("2025-02-03T00:00:00Z")),
  request("portability", "2025-02-01T00:00:00Z", partial("2025-02-04T12:00:00Z")),
  request("access", "2025-06-01T00:00:00Z", denied("2025-06-11T00:00:00Z", "Tax records (7 years)", "tax_records")),
  // Requests to correct: open on 31 December, answered in January → pending, no days.
  request("rectification", "2025-12-30T00:00:00Z", done("2026-01-04T00:00:00Z")),
  // Requests to opt-out: three denials for reasons an operator typed, two of them the same reason → 2 distinct.
  request("opt_out_sale_sharing", "2025-07-01T00:00:00Z", denied("2025-07-02T00:00:00Z", TYPED[0]!)),
  request("opt_out_sale_sharing", "2025-07-01T00:00:00Z", denied("2025-07-03T00:00:00Z", TYPED[1]!)),
  request("opt_out_sale_sharing", "2025-07-01T00:00:00Z", denied("2025-07-04T00:00:00Z", TYPED[2]!)),
  // Requests to limit: expired unverified; a restriction request, cancelled, is listed under its own name.
  request("limit_sensitive", "2025-08-01T00:00:00Z", { kind: "request.expired", at: "2025-08-04T00:00:00Z" }),
  request("restriction", "2025-08-01T00:00:00Z", { kind: "request.cancelled", at: "2025-08-02T00:00:00Z" }),
  // Received in 2024 and 2026: not counted.
  request("erasure", "2024-12-31T23:59:59Z", done("2025-01-02T00:00:00Z")),
  request("erasure", "2026-01-01T00:00:00Z"),
];

describe("buildCcpaMetrics", () => {
  const m = buildCcpaMetrics(rows(SAMPLE));

  it("takes the median over an odd count and counts a same-day answer as 0.2 days", () => {
    expect(category(m, "requests to delete")).toMatchObject({
      subsection: "A",
      received: 3,
      complied: 3,
      complied_in_part: 0,
      denied: 0,
      pending: 0,
      days_to_respond: { responses: 3, median: 2.5, mean: 4.2 },
    });
  });

  it("takes the median over an even count, counts a partial answer as complied, and a denial by its exemption", () => {
    expect(category(m, "requests to know")).toMatchObject({
      subsection: "C",
      request_types: ["access", "portability"],
      received: 4,
      complied: 3,
      complied_in_part: 1,
      denied: 1,
      denials: [{ ground: "exemption", exemption: "tax_records", requests: 1 }],
      days_to_respond: { responses: 4, median: 2.8, mean: 4.1 },
    });
  });

  it("counts a request still open at the end of the year as received and pending, not in the days", () => {
    expect(category(m, "requests to correct")).toMatchObject({
      received: 1,
      complied: 0,
      pending: 1,
      days_to_respond: { responses: 0, median: null, mean: null },
    });
  });

  it("groups denials without an exemption as other reason, counting distinct reasons", () => {
    expect(category(m, "requests to opt-out of sale/sharing")).toMatchObject({
      received: 3,
      denied: 3,
      denials: [{ ground: "other", requests: 3, distinct_reasons: 2 }],
      days_to_respond: { median: 2, mean: 2 },
    });
  });

  it("lists the five categories of the regulation in its order, then other types under their own names", () => {
    expect(m.categories.map((c) => [c.category, c.subsection])).toEqual([
      ["requests to delete", "A"],
      ["requests to correct", "B"],
      ["requests to know", "C"],
      ["requests to opt-out of sale/sharing", "D"],
      ["requests to limit", "E"],
      ["restriction", null],
    ]);
    expect(category(m, "requests to limit")).toMatchObject({ received: 1, expired: 1, denied: 0, pending: 0 });
    expect(category(m, "restriction")).toMatchObject({ received: 1, cancelled: 1 });
    expect(m).toMatchObject({ period: { from: "2025-01-01", to: "2025-12-31" }, as_of: "2025-12-31" });
  });

  it("takes the days from the first answer: partial then complete is complied in whole; partial then denied, in part", () => {
    const m2 = buildCcpaMetrics(
      rows([
        request("erasure", "2025-01-10T00:00:00Z", partial("2025-01-11T00:00:00Z"), done("2025-01-20T00:00:00Z")),
        request(
          "erasure",
          "2025-01-10T00:00:00Z",
          partial("2025-01-13T00:00:00Z"),
          denied("2025-01-30T00:00:00Z", "x"),
        ),
      ]),
    );
    expect(category(m2, "requests to delete")).toMatchObject({
      complied: 2,
      complied_in_part: 1,
      denied: 0,
      days_to_respond: { median: 2, mean: 2 },
    });
  });

  it("runs the year in the controller's time zone", () => {
    // 2025-01-01T05:00Z is 31 December 2024, 21:00, in Los Angeles: not in 2025 there.
    const la = buildCcpaMetrics({
      ...rows([request("erasure", "2025-01-01T05:00:00Z"), request("erasure", "2025-01-01T09:00:00Z")]),
      time_zone: "America/Los_Angeles",
      from: new Date("2025-01-01T08:00:00Z"),
      to: new Date("2026-01-01T08:00:00Z"),
    });
    expect(category(la, "requests to delete").received).toBe(1);
    expect(la.period).toEqual({ from: "2025-01-01", to: "2025-12-31" });
  });

  it("says when the store holds nothing before the year, and when the year is not over", () => {
    const partialYear = buildCcpaMetrics({
      ...rows([request("erasure", "2025-03-01T00:00:00Z")], "2025-03-01T00:00:00Z"),
      read_at: new Date("2025-09-15T10:00:00Z"),
    });
    const md = formatCcpaMetrics(partialYear, "md");
    expect(md).toContain("The store holds no request received before 2025-03-01");
    expect(md).toContain("2025 is not over: the figures stand on 2025-09-15.");
    expect(formatCcpaMetrics(m, "md")).not.toContain("holds no request received before");
  });
});

describe("formatCcpaMetrics", () => {
  const m = buildCcpaMetrics(rows(SAMPLE));

  it("never prints a reason an operator typed", () => {
    for (const format of ["md", "csv", "json"] as const) {
      const text = formatCcpaMetrics(m, format).toLowerCase();
      expect(text).not.toContain("elm st");
      expect(text).not.toContain("dup");
      expect(text).not.toContain("7 years");
    }
  });

  it("prints Markdown tables and the footer with the store's period and §7101", () => {
    const md = formatCcpaMetrics(m, "md");
    expect(md).toContain("| requests to know | (C) | 4 | 3 | 1 | 1 | 0 | 0 | 0 | 2.8 | 4.1 |");
    expect(md).toContain("| requests to correct | (B) | 1 | 0 | 0 | 0 | 1 | 0 | 0 | — | — |");
    expect(md).toContain("| requests to know | exemption tax_records | 1 |");
    expect(md).toContain("| requests to opt-out of sale/sharing | other reason (2 distinct reasons, not shown) | 3 |");
    expect(md).toContain("received from 2024-06-01 to 2026-02-01");
    expect(md).toContain("11 CCR §7101(a)");
  });

  it("prints one CSV row per category, and JSON that carries the notes", () => {
    const [head, ...body] = parseCsv(formatCcpaMetrics(m, "csv"));
    expect(head).toEqual([...CCPA_CSV_COLUMNS]);
    const know = Object.fromEntries(head!.map((k, i) => [k, body[2]![i]]));
    expect(know).toMatchObject({
      category: "requests to know",
      request_types: "access; portability",
      received: "4",
      denied_by_exemption: "tax_records=1",
      median_days: "2.8",
      mean_days: "4.1",
    });
    const json = JSON.parse(formatCcpaMetrics(m, "json")) as CcpaMetrics & { notes: string[] };
    expect(json.categories).toEqual(JSON.parse(JSON.stringify(m.categories)));
    expect(json.notes.join(" ")).toContain("11 CCR §7101(a)");
  });
});

// ── on a real store ──────────────────────────────────────────────────────────────────────────────────────────────

/** Writes requests and their events the way Steward does; the trail's clock is set to each event's time. */
async function seed(store: Store): Promise<void> {
  const insert = async (type: RequestType, jurisdiction: string, createdAt: string, status: string) => {
    const row = await store.db
      .insertInto("requests")
      .values({
        type,
        status,
        jurisdiction,
        identities_hash: "h".repeat(64),
        due_at: null,
        created_at: new Date(createdAt),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const event = async (id: string, kind: string, at: string, payload: Record<string, unknown>) => {
    vi.setSystemTime(new Date(at));
    await appendAuditEvent(store.db, { actor: "worker", kind, request_id: id, payload });
  };
  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    const a = await insert("erasure", "us_ca", "2025-03-01T00:00:00Z", "completed");
    await event(a, "request.completed", "2025-03-03T12:00:00Z", { from: "in_progress", to: "completed" });
    const b = await insert("erasure", "us_ca", "2025-03-02T08:00:00Z", "denied");
    await event(b, "request.denied", "2025-03-02T12:48:00Z", {
      from: "in_progress",
      to: "denied",
      reason: "Kept under the tax hold",
      exemption: "tax_records",
    });
    const c = await insert("access", "us_ca", "2025-04-01T00:00:00Z", "denied");
    await event(c, "request.denied", "2025-04-05T00:00:00Z", { from: "verified", to: "denied", reason: "no account" });
    const d = await insert("access", "us_ca", "2025-12-31T00:00:00Z", "completed");
    await event(d, "request.completed", "2026-01-02T00:00:00Z", { from: "in_progress", to: "completed" });
    // Another jurisdiction, and another year: only the first with --all-jurisdictions, the second never.
    const e = await insert("opt_out_sale_sharing", "eea", "2025-06-01T00:00:00Z", "completed");
    await event(e, "request.completed", "2025-06-02T00:00:00Z", { from: "in_progress", to: "completed" });
    await insert("erasure", "us_ca", "2024-11-30T00:00:00Z", "received");
    // Not an answer: ignored.
    await event(a, "request.mail_sent", "2025-03-03T12:01:00Z", {});
  } finally {
    vi.useRealTimers();
  }
}

describe("readCcpaRows on a real store", () => {
  it("reads the year's requests and answers; the metrics come out as computed by hand", async () => {
    const store = await openStore({ inMemory: true });
    try {
      await seed(store);
      const now = new Date("2026-03-01T00:00:00Z");
      const m = buildCcpaMetrics(await readCcpaRows(store.db, { year: 2025, now }));
      expect(category(m, "requests to delete")).toMatchObject({
        received: 2,
        complied: 1,
        denied: 1,
        denials: [{ ground: "exemption", exemption: "tax_records", requests: 1 }],
        // 2.5 and 0.2 days.
        days_to_respond: { responses: 2, median: 1.4, mean: 1.4 },
      });
      expect(category(m, "requests to know")).toMatchObject({
        received: 2,
        denied: 1,
        pending: 1,
        denials: [{ ground: "other", requests: 1, distinct_reasons: 1 }],
        days_to_respond: { responses: 1, median: 4, mean: 4 },
      });
      expect(category(m, "requests to opt-out of sale/sharing").received).toBe(0);
      expect(m.store).toEqual({
        requests: 6,
        first_received: "2024-11-30",
        last_received: "2025-12-31",
        holds_earlier_requests: true,
      });

      const all = buildCcpaMetrics(await readCcpaRows(store.db, { year: 2025, jurisdictions: "all", now }));
      expect(category(all, "requests to opt-out of sale/sharing")).toMatchObject({ received: 1, complied: 1 });
      expect(formatCcpaMetrics(all, "md")).toContain("in every jurisdiction, not only those of California consumers");
    } finally {
      await store.close();
    }
  });
});

describe("steward report ccpa", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const env = { STEWARD_DATABASE_URL: "", STEWARD_TIME_ZONE: "UTC" };

  it("prints the metrics of the store in --data-dir as CSV, and writes Markdown with --out", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "steward-ccpa-"));
    dirs.push(dataDir);
    const store = await openStore({ dataDir });
    try {
      await seed(store);
    } finally {
      await store.close();
    }
    const csv = steward(["report", "ccpa", "--year", "2025", "--format", "csv", "--data-dir", dataDir], env);
    expect(csv.stderr).toBe("");
    expect(csv.code).toBe(0);
    const [head, ...body] = parseCsv(csv.stdout);
    const byCategory = new Map(body.map((r) => [r[head!.indexOf("category")], r]));
    const del = byCategory.get("requests to delete")!;
    expect(del[head!.indexOf("received")]).toBe("2");
    expect(del[head!.indexOf("denied_by_exemption")]).toBe("tax_records=1");
    expect(del[head!.indexOf("median_days")]).toBe("1.4");
    expect(byCategory.get("requests to know")![head!.indexOf("pending")]).toBe("1");

    const out = join(dataDir, "ccpa-2025.md");
    const md = steward(["report", "ccpa", "--year", "2025", "--data-dir", dataDir, "--out", out], env);
    expect(md.code).toBe(0);
    expect(md.stderr).toBe(`wrote ${out}\n`);
  });

  it("refuses a bad --format or --year with STW_CLI_BAD_OPTION, and an unwritable --out with STW_FILE_NOT_WRITABLE", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "steward-ccpa-"));
    dirs.push(dataDir);
    const bad = steward(["report", "ccpa", "--year", "2025", "--format", "pdf", "--data-dir", dataDir], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error STW_CLI_BAD_OPTION: option --format does not take "pdf"');
    const year = steward(["report", "ccpa", "--year", "25", "--data-dir", dataDir], env);
    expect(year.code).toBe(2);
    expect(year.stderr).toContain('error STW_CLI_BAD_OPTION: option --year does not take "25"');
    const out = join(dataDir, "missing", "folder", "ccpa.md");
    const unwritable = steward(["report", "ccpa", "--year", "2025", "--data-dir", dataDir, "--out", out], env);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toContain("error STW_FILE_NOT_WRITABLE");
  });
});
