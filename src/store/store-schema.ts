/**
 * The tables of Steward's own store, as Kysely sees them. Migrations (`migrations/`) create them; this file must follow
 * the latest migration. `never` as an update type makes the compiler refuse an UPDATE on immutable tables — the
 * database's triggers refuse it too, for anyone who bypasses Kysely.
 */
import type { ColumnType, Generated } from "kysely";
import type { RequestType } from "../manifest/types.ts";

/** A value that is written once and never updated. */
type Immutable<S, I = S> = ColumnType<S, I, never>;

/** A published notice version: the exact text people were shown, kept forever. */
export interface NoticeVersionsTable {
  readonly version: Immutable<string>;
  /** `YYYY-MM-DD`. */
  readonly effective_date: Immutable<string>;
  /** sha256 of the manifest's canonical JSON when this version was published. */
  readonly manifest_hash: Immutable<string>;
  readonly rendered_md: Immutable<string>;
  readonly rendered_html: Immutable<string>;
  readonly published_at: Immutable<Date, Date | undefined>;
}

/** JSON detail of an audit event: identifiers and counts, never personal data (see `appendAuditEvent`). */
export type AuditPayload = { readonly [key: string]: unknown };

/** One line of the append-only audit trail. */
export interface AuditEventsTable {
  readonly id: ColumnType<number, never, never>;
  readonly at: Immutable<Date, Date | undefined>;
  /** Who acted: a staff account key, "system", or "subject" — not a person's e-mail. */
  readonly actor: Immutable<string>;
  /** Dotted event name, e.g. "notice.published", "request.created". */
  readonly kind: Immutable<string>;
  readonly request_id: Immutable<string | null, string | null | undefined>;
  /** Written as a JSON string (so both drivers send the same text), read back parsed. */
  readonly payload: Immutable<AuditPayload, string | undefined>;
}

/** One data-subject request. The identities are kept only as a keyed hash, so the row itself names nobody. */
export interface RequestsTable {
  readonly id: Generated<string>;
  readonly type: RequestType;
  /** Lifecycle state; the request lifecycle module owns the values. */
  readonly status: string;
  readonly jurisdiction: string | null;
  /** Hash of the normalised identities the request was made with (never the raw e-mail or phone). */
  readonly identities_hash: string;
  readonly created_at: Generated<Date>;
  readonly due_at: Date;
  readonly updated_at: Generated<Date>;
  readonly closed_at: Date | null;
  /** The notice version in force when the request was received. */
  readonly notice_version: string | null;
}

export interface StoreSchema {
  readonly notice_versions: NoticeVersionsTable;
  readonly audit_events: AuditEventsTable;
  readonly requests: RequestsTable;
}
