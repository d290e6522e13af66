/**
 * What the ledger shows: the operators' list of events (newest first, filtered) and counts per purpose and method,
 * and a person's history in the shape of ISO/IEC TS 27560 consent records as W3C DPV maps them — record id, subject,
 * notice, purpose, personal data, status with its time and method, jurisdiction. Lists for operators never carry a
 * subject; a person's own export names them, since it is theirs.
 */
import { type Kysely, sql } from "kysely";
import type { Manifest } from "../manifest/types.ts";
import type { ConsentMethod, ConsentStatus, DeliveryState, StoreSchema } from "../store/store-schema.ts";
import type { ConsentEventRow } from "./append-consent-events.ts";

export interface EventFilter {
  readonly purpose?: readonly string[] | undefined;
  readonly method?: readonly string[] | undefined;
  readonly status?: readonly string[] | undefined;
  readonly since?: Date | undefined;
  readonly limit?: number | undefined;
  /** The `seq` of the last event of the previous page: the next page is older. */
  readonly before?: string | undefined;
}

export interface EventLine {
  readonly seq: string;
  readonly record_id: string;
  readonly at: string;
  readonly purpose: string;
  readonly status: ConsentStatus;
  readonly method: ConsentMethod;
  readonly jurisdiction: string | null;
  readonly notice_version: string | null;
  readonly subject_type: string;
  readonly request_id: string | null;
  readonly actor: string;
}

export async function listConsentEvents(db: Kysely<StoreSchema>, filter: EventFilter = {}): Promise<EventLine[]> {
  let q = db
    .selectFrom("consent_events")
    .select([
      "seq",
      "record_id",
      "at",
      "purpose",
      "status",
      "method",
      "jurisdiction",
      "notice_version",
      "subject_type",
      "request_id",
      "actor",
    ])
    .orderBy("seq", "desc")
    .limit(Math.min(filter.limit ?? 100, 1000));
  if (filter.purpose?.length) q = q.where("purpose", "in", filter.purpose);
  if (filter.method?.length) q = q.where("method", "in", filter.method as ConsentMethod[]);
  if (filter.status?.length) q = q.where("status", "in", filter.status as ConsentStatus[]);
  if (filter.since) q = q.where("at", ">=", filter.since);
  if (filter.before) q = q.where("seq", "<", filter.before);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, seq: String(r.seq), at: r.at.toISOString() }));
}

export interface CountLine {
  readonly purpose: string;
  readonly method: ConsentMethod;
  readonly status: ConsentStatus;
  readonly events: number;
}

/** Events per purpose, method and status (since a time, if given), largest first. */
export async function consentCounts(db: Kysely<StoreSchema>, since?: Date): Promise<CountLine[]> {
  let q = db
    .selectFrom("consent_events")
    .select(["purpose", "method", "status", (eb) => eb.fn.countAll<string>().as("events")])
    .groupBy(["purpose", "method", "status"])
    .orderBy("events", "desc")
    .orderBy("purpose");
  if (since) q = q.where("at", ">=", since);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, events: Number(r.events) }));
}

const DPV_STATUS: Readonly<Record<ConsentStatus, string>> = {
  granted: "dpv:ConsentGiven",
  withdrawn: "dpv:ConsentWithdrawn",
  // An objection refuses the processing; DPV has no narrower status for it.
  objected: "dpv:ConsentRefused",
  restricted: "steward:ProcessingRestricted",
  unrestricted: "steward:RestrictionLifted",
  under_age: "steward:UnderMinimumAge",
};

/** Who expressed it: the person (banner, dialog, signal, request), or the controller (an import, an operator, the host). */
const indicatedBy = (method: ConsentMethod): string =>
  method === "import" || method === "admin" || method === "host_event" ? "dpv:DataController" : "dpv:DataSubject";

/** One person's history as ISO/IEC TS 27560 records in DPV terms (JSON-LD). */
export function consentRecords(manifest: Manifest, subject: string, rows: readonly ConsentEventRow[]) {
  const purposes = new Map(manifest.purposes.map((p) => [p.key, p]));
  return {
    "@context": {
      dpv: "https://w3id.org/dpv#",
      dct: "http://purl.org/dc/terms/",
      steward: "https://steward.dev/ns#",
    },
    "@graph": rows.map((r) => {
      const p = purposes.get(r.purpose);
      return {
        "@type": "dpv:ConsentRecord",
        "dct:identifier": r.record_id,
        "dpv:hasDataSubject": { "@type": "dpv:DataSubject", "dct:identifier": subject },
        ...(r.notice_version ? { "dpv:hasNotice": { "dct:identifier": r.notice_version } } : {}),
        "dpv:hasPurpose":
          r.purpose === "*"
            ? { "dct:identifier": "*", "dct:description": "every purpose" }
            : { "dct:identifier": r.purpose, "dct:title": p?.name ?? r.purpose },
        ...(p ? { "dpv:hasPersonalData": p.data_categories } : {}),
        ...(p?.legal_basis ? { "dpv:hasLegalBasis": p.legal_basis } : {}),
        "dpv:hasConsentStatus": {
          "@type": DPV_STATUS[r.status],
          "dpv:isIndicatedAtTime": r.at.toISOString(),
          "dpv:isIndicatedBy": indicatedBy(r.method),
          "dpv:hasIndicationMethod": r.method,
        },
        ...(r.jurisdiction ? { "dpv:hasJurisdiction": r.jurisdiction } : {}),
        ...(r.request_id ? { "steward:request": r.request_id } : {}),
        "steward:status": r.status,
        "steward:chainHash": r.hash,
      };
    }),
  };
}

export interface DeliveryLine {
  readonly id: string;
  readonly record_id: string;
  readonly system: string;
  readonly kind: string;
  readonly purpose: string;
  readonly status: ConsentStatus;
  readonly state: string;
  readonly attempts: number;
  readonly created_at: string;
  readonly delivered_at: string | null;
  readonly next_attempt_at: string;
  readonly log: { at: string; outcome: string }[];
}

/** The delivery log, newest change first: per change and system, its state and every attempt (no subject). */
export async function listDeliveries(
  db: Kysely<StoreSchema>,
  filter: { state?: readonly string[]; system?: readonly string[]; record_id?: string; limit?: number } = {},
): Promise<DeliveryLine[]> {
  let q = db
    .selectFrom("consent_deliveries")
    .select([
      "id",
      "record_id",
      "system",
      "kind",
      "purpose",
      "status",
      "state",
      "attempts",
      "created_at",
      "delivered_at",
      "next_attempt_at",
      "log",
    ])
    .orderBy("created_at", "desc")
    .orderBy("system")
    .limit(Math.min(filter.limit ?? 100, 1000));
  if (filter.state?.length) q = q.where("state", "in", filter.state as DeliveryState[]);
  if (filter.system?.length) q = q.where("system", "in", filter.system);
  if (filter.record_id) q = q.where("record_id", "=", filter.record_id);
  const rows = await q.execute();
  return rows.map((r) => ({
    ...r,
    created_at: r.created_at.toISOString(),
    delivered_at: r.delivered_at?.toISOString() ?? null,
    next_attempt_at: r.next_attempt_at.toISOString(),
  }));
}

export interface DayLine {
  /** `YYYY-MM-DD` (UTC). */
  readonly day: string;
  readonly status: ConsentStatus;
  readonly events: number;
}

/** Events per day and status since a time, for one purpose or method if given: what the console's chart draws. */
export async function consentPerDay(
  db: Kysely<StoreSchema>,
  since: Date,
  only: { readonly purpose?: string | undefined; readonly method?: string | undefined } = {},
): Promise<DayLine[]> {
  let q = db
    .selectFrom("consent_events")
    .select([
      sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM-DD')`.as("day"),
      "status",
      (eb) => eb.fn.countAll<string>().as("events"),
    ])
    .where("at", ">=", since)
    .groupBy([sql`1`, "status"])
    .orderBy(sql`1`);
  if (only.purpose) q = q.where("purpose", "=", only.purpose);
  if (only.method) q = q.where("method", "=", only.method as ConsentMethod);
  const rows = await q.execute();
  return rows.map((r) => ({ day: r.day, status: r.status, events: Number(r.events) }));
}

export interface CurrentLine {
  readonly purpose: string;
  readonly status: ConsentStatus;
  /** People (subjects) whose latest choice for the purpose is this status. */
  readonly subjects: number;
}

/** Where people stand now: per purpose, how many people's latest choice is each status (facts like `*` excluded). */
export async function currentChoices(db: Kysely<StoreSchema>): Promise<CurrentLine[]> {
  const rows = await sql<{ purpose: string; status: ConsentStatus; subjects: string }>`
    select purpose, status, count(*) as subjects
    from (select distinct on (subject_hash, purpose) purpose, status
          from consent_events where purpose <> '*' order by subject_hash, purpose, seq desc) latest
    group by purpose, status order by purpose, status`.execute(db);
  return rows.rows.map((r) => ({ purpose: r.purpose, status: r.status, subjects: Number(r.subjects) }));
}

export interface ConsentSummary {
  /** Per purpose: people whose latest choice is each status, and the share who said no (withdrawn or objected). */
  readonly purposes: readonly {
    readonly purpose: string;
    readonly granted: number;
    readonly withdrawn: number;
    readonly objected: number;
    readonly opt_out_rate: number;
  }[];
  /** Events per method, most first. */
  readonly methods: readonly { readonly method: string; readonly events: number }[];
  /** Withdrawals, and those a Global Privacy Control signal made. */
  readonly gpc: { readonly withdrawals: number; readonly by_signal: number; readonly share: number };
}

/** The figures the console shows, from the counts and the current choices. Pure. */
export function consentSummary(counts: readonly CountLine[], current: readonly CurrentLine[]): ConsentSummary {
  const of = (purpose: string, status: string) =>
    current.find((c) => c.purpose === purpose && c.status === status)?.subjects ?? 0;
  const purposes = [...new Set(current.map((c) => c.purpose))].map((purpose) => {
    const granted = of(purpose, "granted");
    const withdrawn = of(purpose, "withdrawn");
    const objected = of(purpose, "objected");
    const all = granted + withdrawn + objected;
    return { purpose, granted, withdrawn, objected, opt_out_rate: all ? (withdrawn + objected) / all : 0 };
  });
  const methods = new Map<string, number>();
  for (const c of counts) methods.set(c.method, (methods.get(c.method) ?? 0) + c.events);
  const withdrawals = counts.filter((c) => c.status === "withdrawn").reduce((n, c) => n + c.events, 0);
  const bySignal = counts
    .filter((c) => c.status === "withdrawn" && c.method === "gpc")
    .reduce((n, c) => n + c.events, 0);
  return {
    purposes,
    methods: [...methods.entries()].sort((a, b) => b[1] - a[1]).map(([method, events]) => ({ method, events })),
    gpc: { withdrawals, by_signal: bySignal, share: withdrawals ? bySignal / withdrawals : 0 },
  };
}
