/**
 * The audit chain's hash: sha256 over the previous event's hash, a newline, and the event's content as canonical JSON
 * (keys sorted, no spaces). The id is not covered — the database assigns it — so the order that counts is the chain
 * itself: deleting, inserting or reordering an event breaks the link of the one after it.
 *
 * Migration 0002 computes the same function for the events written before the chain existed; change neither.
 */
import { createHash } from "node:crypto";

export interface ChainedContent {
  /** ISO 8601 with milliseconds; the store keeps exactly what was hashed. */
  readonly at: string;
  readonly actor: string;
  readonly kind: string;
  readonly request_id: string | null;
  readonly payload: unknown;
}

/** JSON with object keys sorted at every depth, so the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function chainHash(previous: string, content: ChainedContent): string {
  return createHash("sha256")
    .update(previous)
    .update("\n")
    .update(canonicalJson({ ...content }))
    .digest("hex");
}

/** What is left of an event whose payload was removed (src/audit/prune-audit-events.ts). */
export interface PrunedEvent {
  readonly id: number;
  readonly at: Date;
  readonly actor: string;
  readonly kind: string;
  readonly request_id: string | null;
  readonly prev_hash: string;
  readonly hash: string;
}

/**
 * The line an event whose payload goes adds to the digest its `records.deleted` event carries: every column that
 * stays, as canonical JSON. The digest is sha256 over these lines (each ending in a newline) in chain order.
 */
export function prunedLine(e: PrunedEvent): string {
  return `${canonicalJson({
    id: e.id,
    at: e.at.toISOString(),
    actor: e.actor,
    kind: e.kind,
    request_id: e.request_id,
    prev_hash: e.prev_hash,
    hash: e.hash,
  })}\n`;
}
