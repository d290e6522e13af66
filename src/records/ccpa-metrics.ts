/**
 * The request metrics of the CCPA regulations for one calendar year, counted from Steward's own records of requests.
 * Pure: `readCcpaRows` (read-ccpa-rows.ts) reads the rows, `buildCcpaMetrics` counts them, `formatCcpaMetrics`
 * prints them.
 *
 * 11 CCR §7102(a)(1) asks a business that handles the personal information of 10,000,000 or more consumers a year to
 * compile, for the previous calendar year, "the number of requests … that the business received, complied with in
 * whole or in part, and denied" — for requests to delete (A), to correct (B), to know (C), to opt-out of sale/sharing
 * (D) and to limit (E) — and (F) "the median or mean number of days within which the business substantively
 * responded" to each. §7102(a)(2) lets the disclosure give the denials by ground ("not verifiable, was not made by a
 * consumer, called for information exempt from disclosure, or was denied on other grounds"). The rows are the
 * records §7101 asks for: "the date of request, nature of request, … the date of the business's response, the nature
 * of the response, and the basis for the denial" (§7101(b)), kept "for at least 24 months" (§7101(a)).
 *
 * How Steward's records become those figures:
 * - received: `requests.created_at` within the year, in the controller's time zone;
 * - the substantive response: the first `request.completed`, `request.partially_completed` or `request.denied` event
 *   of the request recorded before the year ended; days to respond = (that event − received) in days, to one decimal;
 * - complied with in whole or in part: any completion or partial completion by then ("in part" when the last of them
 *   was partial) — a partial answer retried and then denied still complied in part;
 * - denied: a denial and no compliance; grouped by the manifest exemption the denial names, else "other reason" with
 *   the number of distinct reasons. The reasons themselves are never printed: an operator typed them, and they may
 *   hold personal data;
 * - pending: still open when the year ended; counted as received, not in the days;
 * - expired (never verified) and cancelled: closed without a substantive response; counted as received only.
 */
import { REQUEST_TYPES, type RequestType } from "../manifest/types.ts";
import { isoDate, localDateOf } from "../requests/deadlines/local-date.ts";
import { csvRecord } from "./csv.ts";

export const ANSWER_KINDS = ["request.completed", "request.partially_completed", "request.denied"] as const;
export const CLOSING_KINDS = ["request.expired", "request.cancelled"] as const;
export const CCPA_EVENT_KINDS = [...ANSWER_KINDS, ...CLOSING_KINDS] as const;
export type CcpaEventKind = (typeof CCPA_EVENT_KINDS)[number];

export interface CcpaRequestEvent {
  readonly kind: CcpaEventKind;
  readonly at: Date;
  /** A denial's reason, as typed by an operator or taken from the exemption: counted, never printed. */
  readonly reason?: string | null;
  /** The manifest exemption key a denial names (a legal hold). */
  readonly exemption?: string | null;
}

export interface CcpaRequestRow {
  readonly id: string;
  readonly type: RequestType;
  readonly received_at: Date;
  /** Its answers and closings, oldest first. */
  readonly events: readonly CcpaRequestEvent[];
}

/** Which requests the store holds at all, whatever their jurisdiction: the footer says what period it covers. */
export interface CcpaStoreCoverage {
  readonly requests: number;
  readonly first_received: Date | null;
  readonly last_received: Date | null;
}

export interface CcpaRows {
  readonly year: number;
  readonly time_zone: string;
  /** The year's first instant in `time_zone`. */
  readonly from: Date;
  /** The next year's first instant (exclusive). */
  readonly to: Date;
  /** The jurisdiction keys counted, or "all". */
  readonly jurisdictions: readonly string[] | "all";
  readonly requests: readonly CcpaRequestRow[];
  readonly store: CcpaStoreCoverage;
  /** When the rows were read: before `to`, the year is not over. */
  readonly read_at: Date;
}

export type CcpaDenialGroup =
  | { readonly ground: "exemption"; readonly exemption: string; readonly requests: number }
  | { readonly ground: "other"; readonly requests: number; readonly distinct_reasons: number };

export interface CcpaDays {
  /** Requests with a substantive response: the days are over these. */
  readonly responses: number;
  readonly median: number | null;
  readonly mean: number | null;
}

export interface CcpaCategoryMetrics {
  /** "requests to delete" …, or the Steward request type for one the regulation does not name. */
  readonly category: string;
  /** The letter of §7102(a)(1) that names the category; null for the others. */
  readonly subsection: "A" | "B" | "C" | "D" | "E" | null;
  readonly request_types: readonly string[];
  readonly received: number;
  readonly complied: number;
  readonly complied_in_part: number;
  readonly denied: number;
  readonly denials: readonly CcpaDenialGroup[];
  readonly pending: number;
  readonly expired: number;
  readonly cancelled: number;
  readonly days_to_respond: CcpaDays;
}

export interface CcpaMetrics {
  readonly year: number;
  readonly time_zone: string;
  /** First and last day of the year (`YYYY-MM-DD`, in `time_zone`). */
  readonly period: { readonly from: string; readonly to: string };
  readonly jurisdictions: readonly string[] | "all";
  /** The day the figures stand at: the year's last day, or the day they were read while the year runs. */
  readonly as_of: string;
  readonly year_complete: boolean;
  readonly categories: readonly CcpaCategoryMetrics[];
  readonly store: {
    readonly requests: number;
    readonly first_received: string | null;
    readonly last_received: string | null;
    /** True when the store holds a request received before the year: nothing of the year can have been cut off. */
    readonly holds_earlier_requests: boolean;
  };
}

const REGULATION_CATEGORIES: readonly {
  readonly category: string;
  readonly subsection: NonNullable<CcpaCategoryMetrics["subsection"]>;
  readonly types: readonly RequestType[];
}[] = [
  { category: "requests to delete", subsection: "A", types: ["erasure"] },
  { category: "requests to correct", subsection: "B", types: ["rectification"] },
  { category: "requests to know", subsection: "C", types: ["access", "portability"] },
  { category: "requests to opt-out of sale/sharing", subsection: "D", types: ["opt_out_sale_sharing"] },
  { category: "requests to limit", subsection: "E", types: ["limit_sensitive"] },
];

const TENTH_OF_A_DAY_MS = 8_640_000;
const isAnswer = (e: CcpaRequestEvent) => (ANSWER_KINDS as readonly string[]).includes(e.kind);
/** Two reasons typed with different spacing or case are one reason. */
const reasonKey = (reason: string) => reason.trim().replaceAll(/\s+/g, " ").toLowerCase();

/** Median of whole tenths, rounded half up to a whole tenth. */
function medianTenths(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

function countCategory(
  base: Pick<CcpaCategoryMetrics, "category" | "subsection" | "request_types">,
  rows: readonly CcpaRequestRow[],
  to: Date,
): CcpaCategoryMetrics {
  let complied = 0;
  let inPart = 0;
  let pending = 0;
  let expired = 0;
  let cancelled = 0;
  const tenths: number[] = [];
  const byExemption = new Map<string, number>();
  const other = { requests: 0, reasons: new Set<string>() };
  for (const row of rows) {
    const events = row.events.filter((e) => e.at < to);
    const answers = events.filter(isAnswer);
    const first = answers[0];
    if (!first) {
      if (events.some((e) => e.kind === "request.expired")) expired++;
      else if (events.some((e) => e.kind === "request.cancelled")) cancelled++;
      else pending++;
      continue;
    }
    tenths.push(Math.round((first.at.getTime() - row.received_at.getTime()) / TENTH_OF_A_DAY_MS));
    const compliances = answers.filter((e) => e.kind !== "request.denied");
    if (compliances.length > 0) {
      complied++;
      if (compliances.at(-1)?.kind === "request.partially_completed") inPart++;
      continue;
    }
    const denial = answers.at(-1)!;
    if (denial.exemption) byExemption.set(denial.exemption, (byExemption.get(denial.exemption) ?? 0) + 1);
    else {
      other.requests++;
      if (denial.reason?.trim()) other.reasons.add(reasonKey(denial.reason));
    }
  }
  const denials: CcpaDenialGroup[] = [...byExemption]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([exemption, requests]) => ({ ground: "exemption", exemption, requests }));
  if (other.requests > 0)
    denials.push({ ground: "other", requests: other.requests, distinct_reasons: other.reasons.size });
  tenths.sort((a, b) => a - b);
  const total = tenths.reduce((sum, t) => sum + t, 0);
  return {
    ...base,
    received: rows.length,
    complied,
    complied_in_part: inPart,
    denied: denials.reduce((n, d) => n + d.requests, 0),
    denials,
    pending,
    expired,
    cancelled,
    days_to_respond: {
      responses: tenths.length,
      median: tenths.length === 0 ? null : medianTenths(tenths) / 10,
      mean: tenths.length === 0 ? null : Math.round(total / tenths.length) / 10,
    },
  };
}

/**
 * Counts the year's requests per §7102(a)(1) category. The five categories of the regulation are always listed; a
 * request type it does not name (restriction, objection, withdraw_consent) only when such a request was received.
 *
 * @example buildCcpaMetrics(await readCcpaRows(store.db, { year: 2025, timeZone: "UTC" })).categories[0]?.received
 */
export function buildCcpaMetrics(rows: CcpaRows): CcpaMetrics {
  const inYear = rows.requests.filter((r) => r.received_at >= rows.from && r.received_at < rows.to);
  const named = new Set<string>(REGULATION_CATEGORIES.flatMap((c) => c.types));
  const others = [...new Set(inYear.map((r) => r.type as string).filter((t) => !named.has(t)))].sort(
    (a, b) => typeOrder(a) - typeOrder(b) || (a < b ? -1 : 1),
  );
  const categories = [
    ...REGULATION_CATEGORIES.map((c) =>
      countCategory(
        { category: c.category, subsection: c.subsection, request_types: c.types },
        inYear.filter((r) => (c.types as readonly string[]).includes(r.type)),
        rows.to,
      ),
    ),
    ...others.map((t) =>
      countCategory(
        { category: t, subsection: null, request_types: [t] },
        inYear.filter((r) => r.type === t),
        rows.to,
      ),
    ),
  ];
  const day = (d: Date) => isoDate(localDateOf(d, rows.time_zone));
  const lastDay = new Date(rows.to.getTime() - 1);
  const yearComplete = rows.read_at >= rows.to;
  return {
    year: rows.year,
    time_zone: rows.time_zone,
    period: { from: day(rows.from), to: day(lastDay) },
    jurisdictions: rows.jurisdictions,
    as_of: day(yearComplete ? lastDay : rows.read_at),
    year_complete: yearComplete,
    categories,
    store: {
      requests: rows.store.requests,
      first_received: rows.store.first_received && day(rows.store.first_received),
      last_received: rows.store.last_received && day(rows.store.last_received),
      holds_earlier_requests: rows.store.first_received !== null && rows.store.first_received < rows.from,
    },
  };
}

function typeOrder(type: string): number {
  const i = (REQUEST_TYPES as readonly string[]).indexOf(type);
  return i < 0 ? REQUEST_TYPES.length : i;
}

// ── formats ──────────────────────────────────────────────────────────────────────────────────────────────────────

export type CcpaFormat = "md" | "csv" | "json";
export const CCPA_FORMATS: readonly CcpaFormat[] = ["md", "csv", "json"];

const days = (value: number | null): string => (value === null ? "" : value.toFixed(1));
const scope = (m: CcpaMetrics): string =>
  m.jurisdictions === "all" ? "every jurisdiction" : `jurisdiction ${m.jurisdictions.join(", ")}`;

/** What a reader must know to read the figures right; the last lines say what period the store covers. */
export function ccpaNotes(m: CcpaMetrics): string[] {
  const s = m.store;
  return [
    `Counted: requests received from ${m.period.from} to ${m.period.to} (time zone ${m.time_zone}) in ${scope(m)}` +
      (m.jurisdictions === "all" ? ", not only those of California consumers." : "."),
    ...(m.year_complete ? [] : [`${m.year} is not over: the figures stand on ${m.as_of}.`]),
    "Days to respond: from receipt to the first substantive response (completed, partially completed or denied), " +
      "in days to one decimal; the median and mean are over the requests answered by " +
      `${m.as_of}. "Pending" requests were still open then: they count as received, not in the days.`,
    'Expired requests were never verified; cancelled ones were withdrawn. Neither is counted as "denied".',
    "Denial reasons typed by an operator are not shown (they may hold personal data): they are counted as " +
      '"other reason", with the number of distinct reasons.',
    s.requests === 0
      ? "The store holds no request at all."
      : `The store holds ${s.requests} request(s), received from ${s.first_received} to ${s.last_received}. ` +
        "Request records are kept at least 24 months (11 CCR §7101(a)).",
    ...(s.requests > 0 && !s.holds_earlier_requests
      ? [
          `The store holds no request received before ${s.first_received}: ` +
            `any received earlier in ${m.year} is not in these figures.`,
        ]
      : []),
  ];
}

const denialInWords = (d: CcpaDenialGroup): string =>
  d.ground === "exemption"
    ? `exemption ${d.exemption}`
    : `other reason (${d.distinct_reasons} distinct reason${d.distinct_reasons === 1 ? "" : "s"}, not shown)`;

const cell = (value: string): string => value.replaceAll(/\s*\n\s*/g, " ").replaceAll("|", "\\|") || "—";
const mdTable = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => [
  `| ${head.join(" | ")} |`,
  `| ${head.map(() => "---").join(" | ")} |`,
  ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
];

function formatMarkdown(m: CcpaMetrics): string {
  const metrics = mdTable(
    [
      "Requests",
      "§7102(a)(1)",
      "Received",
      "Complied with in whole or in part",
      "of which in part",
      "Denied",
      "Pending",
      "Expired",
      "Cancelled",
      "Median days to respond",
      "Mean days to respond",
    ],
    m.categories.map((c) => [
      c.category,
      c.subsection ? `(${c.subsection})` : "",
      String(c.received),
      String(c.complied),
      String(c.complied_in_part),
      String(c.denied),
      String(c.pending),
      String(c.expired),
      String(c.cancelled),
      days(c.days_to_respond.median),
      days(c.days_to_respond.mean),
    ]),
  );
  const denials = m.categories.flatMap((c) => c.denials.map((d) => [c.category, denialInWords(d), String(d.requests)]));
  return [
    `# CCPA request metrics for ${m.year}`,
    "",
    `The metrics of 11 CCR §7102(a)(1) for requests received in ${m.year} in ${scope(m)}.`,
    "",
    ...metrics,
    "",
    "## Denied, by reason (§7102(a)(2))",
    "",
    ...(denials.length === 0
      ? [`No request received in ${m.year} was denied.`]
      : mdTable(["Requests", "Reason", "Denied"], denials)),
    "",
    "---",
    "",
    ...ccpaNotes(m).map((n) => `- ${n}`),
    "",
  ].join("\n");
}

export const CCPA_CSV_COLUMNS = [
  "year",
  "jurisdictions",
  "category",
  "subsection",
  "request_types",
  "received",
  "complied",
  "complied_in_part",
  "denied",
  "denied_by_exemption",
  "denied_other_reason",
  "distinct_other_reasons",
  "pending",
  "expired",
  "cancelled",
  "responses",
  "median_days",
  "mean_days",
  "as_of",
  "store_first_received",
  "store_last_received",
] as const;

/** One row per category; `denied_by_exemption` is "key=count; …"; the store's period repeats on every row. */
function formatCsv(m: CcpaMetrics): string {
  const rows = m.categories.map((c) => {
    const other = c.denials.find((d) => d.ground === "other");
    const row: Record<(typeof CCPA_CSV_COLUMNS)[number], string> = {
      year: String(m.year),
      jurisdictions: m.jurisdictions === "all" ? "all" : m.jurisdictions.join("; "),
      category: c.category,
      subsection: c.subsection ?? "",
      request_types: c.request_types.join("; "),
      received: String(c.received),
      complied: String(c.complied),
      complied_in_part: String(c.complied_in_part),
      denied: String(c.denied),
      denied_by_exemption: c.denials
        .flatMap((d) => (d.ground === "exemption" ? [`${d.exemption}=${d.requests}`] : []))
        .join("; "),
      denied_other_reason: String(other?.requests ?? 0),
      distinct_other_reasons: String(other?.distinct_reasons ?? 0),
      pending: String(c.pending),
      expired: String(c.expired),
      cancelled: String(c.cancelled),
      responses: String(c.days_to_respond.responses),
      median_days: days(c.days_to_respond.median),
      mean_days: days(c.days_to_respond.mean),
      as_of: m.as_of,
      store_first_received: m.store.first_received ?? "",
      store_last_received: m.store.last_received ?? "",
    };
    return csvRecord(CCPA_CSV_COLUMNS.map((k) => row[k]));
  });
  return csvRecord(CCPA_CSV_COLUMNS) + rows.join("");
}

/** @example formatCcpaMetrics(buildCcpaMetrics(rows), "md") // "# CCPA request metrics for 2025 …" */
export function formatCcpaMetrics(metrics: CcpaMetrics, format: CcpaFormat): string {
  if (format === "csv") return formatCsv(metrics);
  if (format === "md") return formatMarkdown(metrics);
  return `${JSON.stringify({ ...metrics, notes: ccpaNotes(metrics) }, null, 2)}\n`;
}
