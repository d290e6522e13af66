/**
 * The GDPR Art. 30 records of processing as data: the controller's record (Art. 30(1)) with one activity per purpose,
 * and the processor's record (Art. 30(2)) for what the organization does on behalf of other controllers. The JSON
 * output is exactly this structure.
 */
import type { LegalBasis, SystemKind, TransferMechanism } from "../manifest/types.ts";

/** Which record an activity belongs to. */
export type RecordKind = "30(1)" | "30(2)";

/** A taxonomy key with its name. */
export interface RopaNamed {
  readonly key: string;
  readonly name: string;
}

export interface RopaParty {
  readonly name: string;
  readonly email?: string;
  readonly address?: string;
  /** Where to find more (e.g. the party's privacy notice). */
  readonly url?: string;
}

export interface RopaRepresentative extends RopaParty {
  readonly region: "EU" | "UK";
}

export interface RopaRecipient extends RopaNamed {
  readonly kind: SystemKind;
  readonly countries: readonly string[];
  /** True when the recipient handles the data outside the EEA. */
  readonly third_country: boolean;
}

/** A transfer to a third country (GDPR Art. 30(1)(e)) and its safeguard. */
export interface RopaTransfer {
  /** Name of the recipient, or of the organization itself when its own hosting is outside the EEA. */
  readonly to: string;
  readonly countries: readonly string[];
  readonly mechanisms: readonly TransferMechanism[];
  /** The mechanisms in words, or "no safeguard recorded". */
  readonly safeguard: string;
}

/** An envisaged time limit for erasure (Art. 30(1)(f)), from one retention rule. */
export interface RopaTimeLimit {
  readonly rule: string;
  readonly description: string;
  /** The categories of the activity (or holding) this rule sets the limit for. */
  readonly categories: readonly RopaNamed[];
  readonly limit: string;
}

export interface RopaActivity {
  readonly record: RecordKind;
  /** Purpose key. */
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly data_use: RopaNamed;
  readonly legal_basis?: LegalBasis;
  /** The controller: the organization for 30(1), the controller system for 30(2). */
  readonly controller: RopaParty & { readonly key: string };
  readonly data_subjects: readonly RopaNamed[];
  readonly personal_data: readonly RopaNamed[];
  readonly recipients: readonly RopaRecipient[];
  readonly transfers: readonly RopaTransfer[];
  readonly time_limits: readonly RopaTimeLimit[];
}

export interface ControllerRecord {
  readonly key: string;
  readonly name: string;
  readonly trading_name: string;
  readonly contact: RopaParty;
  readonly representatives: readonly RopaRepresentative[];
  readonly dpo?: RopaParty;
  /** General description of technical and organisational security measures (Art. 32(1)). */
  readonly security_measures: readonly string[];
}

/** Data stored on behalf of a controller ("dataset.collection") and what it holds. */
export interface RopaHolding {
  readonly collection: string;
  readonly personal_data: readonly RopaNamed[];
  readonly time_limits: readonly RopaTimeLimit[];
}

export interface ProcessorController extends RopaParty {
  readonly key: string;
  readonly description: string;
  /** Data-processing agreement reference. */
  readonly dpa?: string;
  readonly countries: readonly string[];
  readonly holdings: readonly RopaHolding[];
}

export interface ProcessorRecord {
  readonly processor: RopaParty;
  readonly representatives: readonly RopaRepresentative[];
  readonly dpo?: RopaParty;
  readonly controllers: readonly ProcessorController[];
  /** Processing done on behalf of the controllers (purposes with `processor_for`). */
  readonly activities: readonly RopaActivity[];
  readonly security_measures: readonly string[];
}

export interface Ropa {
  readonly controller: ControllerRecord;
  /** Art. 30(1): the organization's own processing activities, one per purpose. */
  readonly activities: readonly RopaActivity[];
  /** Art. 30(2): processing done as processor; empty lists when the organization is never a processor. */
  readonly processor: ProcessorRecord;
}
