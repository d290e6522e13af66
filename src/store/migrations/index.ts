/**
 * Every migration of Steward's store, in order. Names are `NNNN_what`: the number is the schema version the migration
 * brings the store to, and the program refuses a store whose recorded version is above the last number here
 * (`STW_STORE_SCHEMA_NEWER`). Never edit or renumber a migration that has shipped; add the next number instead.
 */
import type { Migration } from "kysely";
import { migration0001 } from "./0001_initial.ts";
import { migration0002 } from "./0002_request_service.ts";
import { migration0003 } from "./0003_consent_ledger.ts";
import { migration0004 } from "./0004_consent_deliveries.ts";
import { migration0005 } from "./0005_admin_sessions.ts";
import { migration0006 } from "./0006_notice_changes.ts";
import { migration0007 } from "./0007_hold_identities.ts";
import { migration0008 } from "./0008_notice_notifications.ts";
import { migration0009 } from "./0009_retention_clocks.ts";
import { migration0010 } from "./0010_request_retries.ts";
import { migration0011 } from "./0011_request_record_retention.ts";
import { migration0012 } from "./0012_drp_agents.ts";
import { migration0013 } from "./0013_audit_linked_later.ts";
import { migration0014 } from "./0014_drp_callbacks.ts";

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001_initial": migration0001,
  "0002_request_service": migration0002,
  "0003_consent_ledger": migration0003,
  "0004_consent_deliveries": migration0004,
  "0005_admin_sessions": migration0005,
  "0006_notice_changes": migration0006,
  "0007_hold_identities": migration0007,
  "0008_notice_notifications": migration0008,
  "0009_retention_clocks": migration0009,
  "0010_request_retries": migration0010,
  "0011_request_record_retention": migration0011,
  "0012_drp_agents": migration0012,
  "0013_audit_linked_later": migration0013,
  "0014_drp_callbacks": migration0014,
};
