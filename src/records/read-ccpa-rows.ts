/**
 * Reads from Steward's own store what the CCPA metrics of one calendar year need (ccpa-metrics.ts): the requests
 * received in the year in the chosen jurisdictions, their answers and closings recorded in the audit trail before the
 * year ended, and which period the store covers. Reasons come out of the trail only to be counted.
 *
 * The three reads run in one repeatable-read transaction, so they agree with each other while requests move on.
 */
import { type Kysely, sql } from "kysely";
import type { RequestType } from "../manifest/types.ts";
import { endOfLocalDay } from "../requests/deadlines/local-date.ts";
import type { StoreSchema } from "../store/store-schema.ts";
import { CCPA_EVENT_KINDS, type CcpaEventKind, type CcpaRequestEvent, type CcpaRows } from "./ccpa-metrics.ts";

export interface ReadCcpaOptions {
  /** The calendar year, e.g. 2025. §7102(a)(1) asks for the previous one. */
  readonly year: number;
  /** The controller's IANA time zone; the year runs from 1 January to 31 December there. Default "UTC". */
  readonly timeZone?: string;
  /** Jurisdiction keys to count, or "all" (requests without a jurisdiction included). Default `["us_ca"]`. */
  readonly jurisdictions?: readonly string[] | "all";
  /** The clock, for tests. */
  readonly now?: Date;
}

/** The first instant of `year` in the zone. */
const yearStart = (year: number, timeZone: string): Date =>
  new Date(endOfLocalDay({ year: year - 1, month: 12, day: 31 }, timeZone).getTime() + 1);

/** @example await readCcpaRows(store.db, { year: 2025, timeZone: "America/Los_Angeles" }) */
export async function readCcpaRows(db: Kysely<StoreSchema>, options: ReadCcpaOptions): Promise<CcpaRows> {
  const timeZone = options.timeZone ?? "UTC";
  const jurisdictions = options.jurisdictions ?? ["us_ca"];
  const from = yearStart(options.year, timeZone);
  const to = yearStart(options.year + 1, timeZone);
  const readAt = options.now ?? new Date();

  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      // An empty list of jurisdictions counts nothing, and `in ()` is not SQL.
      const counted = trx
        .selectFrom("requests")
        .where("requests.created_at", ">=", from)
        .where("requests.created_at", "<", to)
        .$if(jurisdictions !== "all", (q) =>
          jurisdictions.length === 0
            ? q.where(sql<boolean>`false`)
            : q.where("requests.jurisdiction", "in", [...jurisdictions]),
        );

      const requests = await counted
        .select(["requests.id", "requests.type", "requests.created_at"])
        .orderBy("requests.created_at")
        .orderBy("requests.id")
        .execute();

      const events = await counted
        .innerJoin("audit_events", "audit_events.request_id", "requests.id")
        .where("audit_events.kind", "in", [...CCPA_EVENT_KINDS])
        .where("audit_events.at", "<", to)
        .select([
          "audit_events.request_id",
          "audit_events.kind",
          "audit_events.at",
          sql<string | null>`audit_events.payload->>'reason'`.as("reason"),
          sql<string | null>`audit_events.payload->>'exemption'`.as("exemption"),
        ])
        .orderBy("audit_events.at")
        .orderBy("audit_events.id")
        .execute();

      const coverage = await trx
        .selectFrom("requests")
        .select((eb) => [
          eb.fn.countAll<number>().as("requests"),
          eb.fn.min("created_at").as("first_received"),
          eb.fn.max("created_at").as("last_received"),
        ])
        .executeTakeFirstOrThrow();

      const byRequest = new Map<string, CcpaRequestEvent[]>();
      for (const e of events) {
        const list = byRequest.get(e.request_id!) ?? [];
        list.push({ kind: e.kind as CcpaEventKind, at: e.at, reason: e.reason, exemption: e.exemption });
        byRequest.set(e.request_id!, list);
      }
      return {
        year: options.year,
        time_zone: timeZone,
        from,
        to,
        jurisdictions,
        requests: requests.map((r) => ({
          id: r.id,
          type: r.type as RequestType,
          received_at: r.created_at,
          events: byRequest.get(r.id) ?? [],
        })),
        store: {
          requests: Number(coverage.requests),
          first_received: coverage.first_received ? new Date(coverage.first_received) : null,
          last_received: coverage.last_received ? new Date(coverage.last_received) : null,
        },
        read_at: readAt,
      };
    });
}
