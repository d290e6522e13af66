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
  /** What the version states (NoticeFacts); null for versions published before migration 6. */
  readonly facts: Immutable<unknown, unknown | undefined>;
  /** The diff against the version published before it (NoticeDiff); null for the first one. */
  readonly diff: Immutable<unknown, unknown | undefined>;
  /** Whether any change of the diff is material; null without a diff. */
  readonly material: Immutable<boolean | null, boolean | null | undefined>;
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
  readonly payload: ColumnType<AuditPayload, string | undefined, "{}">;
  /**
   * The event's place in the chain, given when it is linked (src/audit/link-audit-chain.ts); null from its write to
   * then (migration 13). The chain's order is `seq`; `id` is the order events were written in.
   */
  readonly seq: ColumnType<number | null, never, number>;
  /** The hash of the event before this one in the chain ("" for the first); null until linked. */
  readonly prev_hash: ColumnType<string | null, never, string>;
  /** sha256 over `prev_hash` and this event's content (src/audit/audit-hash.ts); null until linked. */
  readonly hash: ColumnType<string | null, never, string>;
  /**
   * The `records.deleted` event that removed this event's payload when its request's record was deleted (migration
   * 11); null while the payload is there. The only column an UPDATE may set (with `payload` to `{}`), once.
   */
  readonly pruned_by: ColumnType<number | null, never, number>;
}

/** One data-subject request. The identities are kept only as a keyed hash, so the row itself names nobody. */
export interface RequestsTable {
  readonly id: Generated<string>;
  readonly type: RequestType;
  /** Lifecycle state; src/requests/lifecycle.ts owns the values. */
  readonly status: string;
  readonly jurisdiction: string | null;
  /** Keyed hash of the normalised identities the request was made with (never the raw e-mail or phone). */
  readonly identities_hash: string;
  /** Received at. */
  readonly created_at: Generated<Date>;
  /** Null while a stop-the-clock law waits for the person to be verified. */
  readonly due_at: Date | null;
  readonly updated_at: Generated<Date>;
  readonly closed_at: Date | null;
  /** The notice version in force when the request was received. */
  readonly notice_version: string | null;
  /** The identities, sealed with AES-256-GCM (src/secrets/seal.ts): the engine needs them, nobody else. */
  readonly identities_enc: string | null;
  /** One keyed hash per identity (`email:…`), to join duplicates and find legal holds without naming anyone. */
  readonly subject_hashes: Generated<string[]>;
  /** Type-specific details (the values to set, a portability destination), sealed: they may be personal. */
  readonly details_enc: string | null;
  /** sha256 of each request token handed to the person (one at submission, one at each verification). */
  readonly token_hashes: Generated<string[]>;
  /** Who started it: "person", "host_event", "admin" or "agent". */
  readonly source: Generated<string>;
  readonly verification_level: Generated<string>;
  readonly verified_at: Date | null;
  readonly verification_method: string | null;
  readonly clock_started_at: Date | null;
  readonly acknowledge_by: Date | null;
  readonly extended_at: Date | null;
  readonly paused_since: Date | null;
  /** Closed pauses of the clock, `[{from, to, reason}]` (ISO dates). Written as a JSON string. */
  readonly pauses: ColumnType<ClockPause[], string | undefined, string>;
  readonly requires_approval: Generated<boolean>;
  readonly approved_at: Date | null;
  /** Counts per collection, notes, proof — no row values. Written as a JSON string. */
  readonly outcome: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** The reason of a denial, extension, pause or cancellation, as shown to the person. */
  readonly reason: string | null;
  readonly attempts: Generated<number>;
  /** When the workers next try a partial answer again by themselves (migration 10); null when none is due. */
  readonly retry_at: Date | null;
  /** How many automatic retries were started (migration 10). */
  readonly auto_retries: Generated<number>;
  /** The authorized agent (its DRP agent-id) that made the request on the person's behalf; null for everyone else. */
  readonly agent: string | null;
}

export interface ClockPause {
  readonly from: string;
  readonly to: string;
}

export interface VerificationCodesTable {
  readonly request_id: string;
  readonly code_hash: string;
  readonly expires_at: Date;
  readonly tries: Generated<number>;
  readonly sends: Generated<number>;
  readonly sent_at: Date;
  readonly locked_at: Date | null;
}

/** The access package of a request, sealed. */
export interface RequestResultsTable {
  readonly request_id: string;
  readonly package_enc: Uint8Array;
  readonly bytes: number;
  readonly created_at: Generated<Date>;
  readonly expires_at: Date;
}

export type ApiKeyRole = "admin" | "approver" | "viewer";

export interface ApiKeysTable {
  readonly id: Generated<string>;
  readonly name: string;
  readonly role: ApiKeyRole;
  /** sha256 of the key; the key itself is shown once, when created. */
  readonly key_hash: string;
  /** The key's first characters, to tell keys apart in a list. */
  readonly prefix: string;
  readonly created_at: Generated<Date>;
  readonly last_used_at: Date | null;
  readonly revoked_at: Date | null;
}

export interface AdminSessionsTable {
  /** sha256 of the session cookie. */
  readonly id_hash: string;
  readonly key_id: string;
  /** The form token every form of the session sends back. */
  readonly csrf: string;
  readonly created_at: Generated<Date>;
  readonly last_seen_at: Generated<Date>;
  readonly expires_at: Date;
  readonly ended_at: Date | null;
}

export interface LegalHoldsTable {
  readonly id: Generated<string>;
  readonly subject_hash: string;
  readonly reason: string;
  readonly placed_by: string;
  readonly placed_at: Generated<Date>;
  readonly lifted_by: string | null;
  readonly lifted_at: Date | null;
  /** The held person's identities, sealed (bound to `hold:<subject_hash>`); null on holds older than migration 7. */
  readonly identities_enc: string | null;
}

export interface SettingsTable {
  readonly key: string;
  readonly value: string;
}

/** What a consent event says: a choice (`granted`, `withdrawn`, `objected`) or a fact that overrides every choice. */
export type ConsentStatus = "granted" | "withdrawn" | "objected" | "restricted" | "unrestricted" | "under_age";

/** How the event came: the banner, the preferences dialog, the API, a GPC signal, a request, an import, … */
export type ConsentMethod = "banner" | "preferences" | "api" | "gpc" | "request" | "import" | "host_event" | "admin";

/** One entry of the consent ledger, chained like the audit trail. The person is only a keyed hash. */
export interface ConsentEventsTable {
  readonly seq: ColumnType<string, never, never>;
  /** The record's id (ISO/IEC TS 27560 "record id"), chosen by the writer so that the hash covers it. */
  readonly record_id: Immutable<string>;
  readonly at: Immutable<Date>;
  readonly subject_hash: Immutable<string>;
  /** The identity type the subject was given as (`email`, `user_id`, `device`). */
  readonly subject_type: Immutable<string>;
  /** A purpose key, or `*` for a fact about every purpose (a restriction, an age). */
  readonly purpose: Immutable<string>;
  readonly status: Immutable<ConsentStatus>;
  readonly method: Immutable<ConsentMethod>;
  readonly notice_version: Immutable<string | null>;
  readonly jurisdiction: Immutable<string | null>;
  /** Keyed hash of the client's IP address and user agent, never the values. */
  readonly proof: Immutable<string | null>;
  readonly request_id: Immutable<string | null>;
  readonly actor: Immutable<string>;
  readonly prev_hash: Immutable<string>;
  readonly hash: Immutable<string>;
}

/** A browser's device id joined to the person who signed in on it: their histories are read as one. */
export interface ConsentLinksTable {
  readonly device_hash: Immutable<string>;
  readonly subject_hash: Immutable<string>;
  readonly linked_at: Immutable<Date, Date | undefined>;
}

export type DeliveryState = "pending" | "delivered" | "failed" | "skipped";

/** One attempt to tell a downstream system of a consent change. */
export interface DeliveryAttempt {
  readonly at: string;
  /** "delivered", "http 503", "unreachable", "skipped: …" — never a response body. */
  readonly outcome: string;
}

/** The consent outbox: one change for one downstream system (src/consent/deliver-consent.ts). */
export type NotificationRunState = "collecting" | "sending" | "done" | "skipped";
export type NotificationState = "pending" | "sending" | "sent" | "failed" | "uncertain" | "withdrawn";

export interface NoticeNotificationRunsTable {
  readonly version: string;
  readonly state: NotificationRunState;
  /** NotificationScope (src/notify/find-recipients.ts). */
  readonly scope: ColumnType<unknown, string, string>;
  readonly recipients: Generated<number>;
  /** Why a run was skipped (not material, already in effect …). */
  readonly reason: string | null;
  readonly started_at: Generated<Date>;
  readonly collected_at: Date | null;
  readonly finished_at: Date | null;
  /** Until when a step holds the run (one step at a time); null between steps. */
  readonly step_until: Date | null;
}

export interface NoticeNotificationsTable {
  readonly version: string;
  /** The keyed hash of the person's normalised address (`email` identity). */
  readonly recipient_hash: string;
  /** The address, sealed; "" once the row is final. */
  readonly address_enc: string;
  /** Keyed hashes of the person's identities (`type:value`), as `requests.subject_hashes`: how an erasure finds the row. */
  readonly subject_hashes: ColumnType<string[], string[] | undefined, string[]>;
  readonly state: Generated<NotificationState>;
  readonly attempts: Generated<number>;
  readonly queued_at: Generated<Date>;
  readonly claimed_at: Date | null;
  readonly sent_at: Date | null;
  readonly error: string | null;
}

export interface RetentionClocksTable {
  readonly rule: string;
  /** A keyed hash of the person's identities (`identitiesHash`). */
  readonly subject_key: string;
  /** The identities, sealed (bound to `clock:<rule>:<subject_key>`). */
  readonly identities_enc: string;
  readonly started_at: Date;
  readonly done_at: Date | null;
  readonly updated_at: Generated<Date>;
}

export interface ConsentDeliveriesTable {
  readonly id: Generated<string>;
  readonly record_id: string;
  /** The ledger event's `seq`. */
  readonly event_seq: ColumnType<string, string, never>;
  readonly system: string;
  readonly kind: string;
  readonly purpose: string;
  readonly status: ConsentStatus;
  /** The person's keyed hash, as in the ledger. */
  readonly subject_hash: string;
  /** `type:value` of the person, sealed; "" once the delivery is final. */
  readonly subject_enc: string;
  readonly created_at: Generated<Date>;
  readonly state: Generated<DeliveryState>;
  readonly attempts: Generated<number>;
  readonly next_attempt_at: Generated<Date>;
  readonly delivered_at: Date | null;
  readonly log: ColumnType<DeliveryAttempt[], string | undefined, string>;
}

export interface DrpAgentTokensTable {
  readonly token_hash: string;
  readonly agent_id: string;
  readonly created_at: Generated<Date>;
}

export interface DrpRequestsTable {
  readonly request_id: string;
  readonly agent_id: string;
  readonly agent_request_id: string | null;
  readonly regime: string | null;
  /** The DRP action as the agent sent it (trimmed): `sale:opt-out`, `deletion`, … */
  readonly exercise: string;
  readonly status_callback: string | null;
  readonly power_of_attorney_enc: string | null;
  readonly received_at: Date;
  readonly revoked_at: Date | null;
  readonly announced: string | null;
  readonly announced_rank: Generated<number>;
  readonly callback_sent: string | null;
}

/** One status change to send to an agent (migration 14). */
export interface DrpCallbacksTable {
  readonly id: Generated<string>;
  readonly request_id: string;
  readonly agent_id: string;
  readonly facts: string;
  readonly at: Date;
  readonly created_at: Generated<Date>;
  readonly claimed_at: Date | null;
  readonly done_at: Date | null;
}

export interface DrpMessagesTable {
  readonly agent_id: string;
  readonly message_hash: string;
  readonly expires_at: Date;
}

export interface StoreSchema {
  readonly drp_agent_tokens: DrpAgentTokensTable;
  readonly drp_requests: DrpRequestsTable;
  readonly drp_callbacks: DrpCallbacksTable;
  readonly drp_messages: DrpMessagesTable;
  readonly notice_versions: NoticeVersionsTable;
  readonly audit_events: AuditEventsTable;
  readonly requests: RequestsTable;
  readonly verification_codes: VerificationCodesTable;
  readonly request_results: RequestResultsTable;
  readonly api_keys: ApiKeysTable;
  readonly admin_sessions: AdminSessionsTable;
  readonly legal_holds: LegalHoldsTable;
  readonly settings: SettingsTable;
  readonly consent_events: ConsentEventsTable;
  readonly consent_links: ConsentLinksTable;
  readonly consent_deliveries: ConsentDeliveriesTable;
  readonly notice_notification_runs: NoticeNotificationRunsTable;
  readonly notice_notifications: NoticeNotificationsTable;
  readonly retention_clocks: RetentionClocksTable;
}
