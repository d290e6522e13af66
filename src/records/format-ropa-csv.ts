/**
 * The records as one CSV table (RFC 4180), one row per processing activity. The `record` column says which record a
 * row belongs to: "30(1)" for the organization's own activities (it is the controller), "30(2)" for processing done
 * as processor (the `controller` column names the controller, `processor` the organization). A controller for which
 * data is only stored gets one 30(2) row with an empty `activity_key`. Several values in a cell are separated by "; ".
 */
import { LEGAL_BASIS_NAMES } from "../notice/plain-words.ts";
import { csvRecord } from "./csv.ts";
import type { ProcessorController, Ropa, RopaActivity } from "./ropa-types.ts";
import {
  contactInWords,
  NO_RULE,
  partyInWords,
  recipientInWords,
  timeLimitInWords,
  transferInWords,
} from "./ropa-words.ts";

export const ROPA_CSV_COLUMNS = [
  "record",
  "activity_key",
  "activity",
  "description",
  "data_use",
  "legal_basis",
  "controller",
  "controller_contact",
  "processor",
  "representatives",
  "dpo",
  "data_subjects",
  "personal_data",
  "recipients",
  "third_country_transfers",
  "erasure_time_limits",
  "stores",
  "security_measures",
] as const;

type Row = Record<(typeof ROPA_CSV_COLUMNS)[number], string>;

const join = (values: readonly string[]): string => values.join("; ");

const controllerContact = (x: ProcessorController): string =>
  [contactInWords(x), x.dpa ? `agreement: ${x.dpa}` : ""].filter(Boolean).join(", ");

/** @example formatRopaCsv(buildRopa(manifest)).split("\r\n")[0] // "record,activity_key,activity,…" */
export function formatRopaCsv(ropa: Ropa): string {
  const c = ropa.controller;
  const p = ropa.processor;
  const reps = join(c.representatives.map((r) => `${r.region}: ${partyInWords(r)}`));
  const dpo = c.dpo ? partyInWords(c.dpo) : "";
  const security = join(c.security_measures);
  const byKey = new Map(p.controllers.map((x) => [x.key, x]));
  const storesOf = (x: ProcessorController | undefined) => join(x?.holdings.map((h) => h.collection) ?? []);

  const row = (a: RopaActivity): Row => {
    const served = a.record === "30(2)" ? byKey.get(a.controller.key) : undefined;
    return {
      record: a.record,
      activity_key: a.key,
      activity: a.name,
      description: a.description,
      data_use: a.data_use.name,
      legal_basis: a.legal_basis ? LEGAL_BASIS_NAMES[a.legal_basis] : "",
      controller: a.controller.name,
      controller_contact: served ? controllerContact(served) : contactInWords(a.controller),
      processor: a.record === "30(2)" ? partyInWords(p.processor) : "",
      representatives: reps,
      dpo,
      data_subjects: join(a.data_subjects.map((s) => s.name)),
      personal_data: join(a.personal_data.map((d) => d.name)),
      recipients: join(a.recipients.map(recipientInWords)),
      third_country_transfers: join(a.transfers.map(transferInWords)),
      erasure_time_limits: a.time_limits.length === 0 ? NO_RULE : join(a.time_limits.map(timeLimitInWords)),
      stores: storesOf(served),
      security_measures: security,
    };
  };

  const rows: Row[] = [...ropa.activities, ...p.activities].map(row);
  for (const x of p.controllers) {
    if (p.activities.some((a) => a.controller.key === x.key)) continue;
    const limits = x.holdings.flatMap((h) => h.time_limits);
    rows.push({
      record: "30(2)",
      activity_key: "",
      activity: `Storage on behalf of ${x.name}`,
      description: x.description,
      data_use: "",
      legal_basis: "",
      controller: x.name,
      controller_contact: controllerContact(x),
      processor: partyInWords(p.processor),
      representatives: reps,
      dpo,
      data_subjects: "",
      personal_data: join([...new Set(x.holdings.flatMap((h) => h.personal_data.map((d) => d.name)))]),
      recipients: "",
      third_country_transfers: "",
      erasure_time_limits: limits.length === 0 ? NO_RULE : join([...new Set(limits.map(timeLimitInWords))]),
      stores: storesOf(x),
      security_measures: security,
    });
  }
  return csvRecord(ROPA_CSV_COLUMNS) + rows.map((r) => csvRecord(ROPA_CSV_COLUMNS.map((k) => r[k]))).join("");
}
