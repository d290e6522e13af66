/**
 * Appends one event to the audit trail. The table is append-only (a trigger rejects UPDATE, DELETE and TRUNCATE), and
 * the trail must not itself become a store of personal data: it names requests by id and people not at all. As a
 * last line of defence this refuses payloads with keys that name identities or values that look like e-mail
 * addresses.
 */
import type { Kysely } from "kysely";
import { stewardError } from "../../errors.ts";
import type { AuditPayload, StoreSchema } from "../store-schema.ts";

export interface AuditEventInput {
  readonly actor: string;
  readonly kind: string;
  readonly request_id?: string;
  readonly payload?: AuditPayload;
}

const PERSONAL_KEYS =
  /^(e-?mail|phone(_number)?|first_name|last_name|full_name|street|ip(_address)?|password|identities)$/i;
const EMAIL_LIKE = /[^\s@]+@[^\s@]+\.[^\s@]+/;

function findPersonal(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return EMAIL_LIKE.test(value) ? path : undefined;
  if (typeof value !== "object" || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`;
    if (!Array.isArray(value) && PERSONAL_KEYS.test(k)) return at;
    const found = findPersonal(v, at);
    if (found) return found;
  }
  return undefined;
}

/** Appends the event and returns its id. */
export async function appendAuditEvent(db: Kysely<StoreSchema>, event: AuditEventInput): Promise<number> {
  const personal = findPersonal(event.payload ?? {}, "payload") ?? findPersonal(event.actor, "actor");
  if (personal) throw stewardError("STW_AUDIT_PERSONAL_DATA", { path: personal, kind: event.kind });
  const row = await db
    .insertInto("audit_events")
    .values({
      actor: event.actor,
      kind: event.kind,
      request_id: event.request_id ?? null,
      payload: JSON.stringify(event.payload ?? {}),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
