/**
 * A request's clock: when it started, when receipt must be confirmed, and when the answer is due, as the jurisdiction's
 * rule pack (src/requests/deadlines/) computes them from the request's own history — received, verified, extended,
 * paused. Recomputed from that history at every change, never nudged by hand.
 */
import type { Manifest, RequestType } from "../manifest/types.ts";
import type { ClockPause } from "../store/store-schema.ts";
import { computeDeadlines, deadlineRulesFor } from "./deadlines/index.ts";

export interface ClockFacts {
  readonly type: RequestType;
  readonly jurisdiction: string | null;
  readonly created_at: Date;
  readonly verified_at: Date | null;
  readonly extended_at: Date | null;
  readonly pauses: readonly ClockPause[];
  readonly paused_since: Date | null;
}

export interface RequestClock {
  readonly clock_started_at: Date | null;
  readonly acknowledge_by: Date | null;
  readonly due_at: Date | null;
}

/** The jurisdiction's rule for this request type (the manifest's own figures for a jurisdiction without a pack). */
export function ruleOf(manifest: Manifest, facts: Pick<ClockFacts, "type" | "jurisdiction">) {
  const rights = manifest.rights.find((r) => r.jurisdiction === facts.jurisdiction);
  return deadlineRulesFor(facts.jurisdiction ?? rights?.jurisdiction ?? "global", rights, facts.type);
}

/** Whether the law lets this request's deadline be extended (Brazil's and California's opt-out periods do not). */
export function canExtend(manifest: Manifest, facts: Pick<ClockFacts, "type" | "jurisdiction">): boolean {
  return Boolean(ruleOf(manifest, facts).extension);
}

export function clockOf(manifest: Manifest, facts: ClockFacts, now: Date, timeZone: string): RequestClock {
  const rule = ruleOf(manifest, facts);
  const pauses = [
    ...facts.pauses.map((p) => ({ from: new Date(p.from), to: new Date(p.to) })),
    ...(facts.paused_since ? [{ from: facts.paused_since }] : []),
  ];
  const d = computeDeadlines(
    rule,
    {
      receivedAt: facts.created_at,
      ...(facts.verified_at ? { verifiedAt: facts.verified_at } : {}),
      extended: facts.extended_at !== null && canExtend(manifest, facts),
      pauses,
      now,
    },
    timeZone,
  );
  return {
    clock_started_at: d.clockStartsAt,
    acknowledge_by: d.acknowledgeBy ?? null,
    due_at: facts.extended_at ? d.extendedDueAt : d.dueAt,
  };
}
