/**
 * A person's current choices, derived from their ledger events (their own and those of the devices linked to them),
 * never stored: for each purpose the latest choice, and the facts that override every choice — a restriction of
 * processing in force, an age below the service's minimum. Pure.
 */
import type { ConsentMethod, ConsentStatus } from "../store/store-schema.ts";

export interface LedgerEntry {
  readonly record_id: string;
  readonly at: Date;
  readonly purpose: string;
  readonly status: ConsentStatus;
  readonly method: ConsentMethod;
  readonly notice_version: string | null;
  readonly jurisdiction: string | null;
  readonly request_id: string | null;
}

export interface SubjectState {
  /** The latest granted / withdrawn / objected event per purpose. */
  readonly choices: ReadonlyMap<string, LedgerEntry>;
  /** The restriction in force (Art. 18), if the latest of restricted / unrestricted is a restriction. */
  readonly restricted?: LedgerEntry;
  /** When the person was reported to be under the minimum age. */
  readonly underAge?: LedgerEntry;
  /** The latest withdrawal by a Global Privacy Control signal, per purpose. */
  readonly gpcAt: ReadonlyMap<string, Date>;
  /** Purposes the person opted back into after a GPC signal had opted them out (they chose, knowing). */
  readonly optedInAfterSignal: ReadonlySet<string>;
  /** The jurisdiction of the latest event that named one. */
  readonly jurisdiction?: string;
  readonly events: number;
}

const CHOICES: readonly ConsentStatus[] = ["granted", "withdrawn", "objected"];

/**
 * Folds events in ledger order — the order given, which is the chain's (`seq`): a writer's clock may be behind
 * another's, the chain's order is the one that holds.
 */
export function deriveState(entries: readonly LedgerEntry[]): SubjectState {
  const sorted = entries;
  const choices = new Map<string, LedgerEntry>();
  const gpcAt = new Map<string, Date>();
  const optedInAfterSignal = new Set<string>();
  let restricted: LedgerEntry | undefined;
  let underAge: LedgerEntry | undefined;
  let jurisdiction: string | undefined;
  for (const e of sorted) {
    if (e.jurisdiction) jurisdiction = e.jurisdiction;
    if (CHOICES.includes(e.status)) choices.set(e.purpose, e);
    if (e.method === "gpc" && e.status === "withdrawn") {
      gpcAt.set(e.purpose, e.at);
      optedInAfterSignal.delete(e.purpose);
    } else if (e.status === "granted" && gpcAt.has(e.purpose)) optedInAfterSignal.add(e.purpose);
    else if (CHOICES.includes(e.status)) optedInAfterSignal.delete(e.purpose);
    else if (e.status === "restricted") restricted = e;
    else if (e.status === "unrestricted") restricted = undefined;
    else if (e.status === "under_age") underAge ??= e;
  }
  return {
    choices,
    gpcAt,
    optedInAfterSignal,
    ...(restricted ? { restricted } : {}),
    ...(underAge ? { underAge } : {}),
    ...(jurisdiction ? { jurisdiction } : {}),
    events: sorted.length,
  };
}
