/**
 * A Plan is the immutable, serialisable answer to "which collections are read by which keys, in which order, and —
 * for erasure — what happens to each collection and field, and why". It is plain data (kind-tagged readonly nodes):
 * printable (`steward plan --explain`), snapshot-testable, and executed later by the engine. It names identity
 * *types* only, never identity values, so a plan can be logged and stored without personal data.
 */
import type { MaskStrategy } from "../manifest/types.ts";
import type { CollectionAddress } from "./reference-graph.ts";

export type PlanAction = "access" | "erasure" | "rectification";
export const PLAN_ACTIONS: readonly PlanAction[] = ["access", "erasure", "rectification"];

/**
 * Where a lookup's key values come from: the request's identity; a field of a collection read before; or an identity
 * of the same person found on a row read before (expansion: the phone on the person's own account row), with its
 * provenance.
 */
export type KeySource =
  | { readonly kind: "identity"; readonly identity: string }
  | { readonly kind: "field"; readonly collection: CollectionAddress; readonly field: string }
  | {
      readonly kind: "expansion";
      readonly identity: string;
      readonly collection: CollectionAddress;
      readonly field: string;
    };

export interface Lookup {
  readonly kind: "lookup";
  /** The field of this collection matched against the key values. */
  readonly field: string;
  readonly source: KeySource;
  /**
   * Erasure only: rows found through this lookup alone name someone else too (a review names its reviewer and its
   * reviewee); for them only this field is masked, and the collection's treatment applies to rows found otherwise.
   */
  readonly only?: MaskTreatment;
  /**
   * The keys are a reference the rows found before hold to this collection (a customer's `address_id` finds the
   * address): a row found only this way may be named by other people's rows too, and erasure keeps it while they do.
   */
  readonly toReferenced?: true;
}

export type MaskTreatment = Extract<FieldTreatment, { kind: "mask" }>;

/** What erasure does to one field, and why. */
export type FieldTreatment =
  | {
      readonly kind: "mask";
      readonly field: string;
      readonly strategy: MaskStrategy;
      readonly value?: string;
      readonly why: string;
    }
  | { readonly kind: "retain"; readonly field: string; readonly why: string };

/** What erasure does to a collection's matching rows. */
export type CollectionTreatment =
  | { readonly kind: "delete_rows"; readonly why: string }
  | { readonly kind: "mask_fields"; readonly fields: readonly FieldTreatment[]; readonly why: string }
  | { readonly kind: "keep_rows"; readonly why: string }
  | { readonly kind: "no_personal_data"; readonly why: string };

/** Rows kept despite the request, with the reason shown to the person. */
export interface ExemptionNode {
  readonly kind: "exemption";
  readonly exemption: string;
  readonly reason: string;
  /** Rows it covers (column = value); absent = every matching row. */
  readonly where?: Readonly<Record<string, string | number | boolean>>;
}

export interface CollectionStep {
  readonly kind: "collection";
  readonly collection: CollectionAddress;
  readonly dataset: string;
  readonly name: string;
  /** Any one lookup finds the subject's rows; all are tried and the results united. */
  readonly lookups: readonly Lookup[];
  /** Personal fields returned by access (filtered by the request's categories). */
  readonly read: readonly string[];
  /** Present on erasure plans. */
  readonly treatment?: CollectionTreatment;
  readonly exemptions: readonly ExemptionNode[];
  /**
   * Retention: only rows with these values are covered by the rule (a succeeded verification); the others are kept
   * as they are, and count as rows that still need their parent.
   */
  readonly covers?: Readonly<Record<string, string | number | boolean>>;
}

export interface Plan {
  readonly kind: "plan";
  readonly version: 1;
  readonly action: PlanAction;
  readonly identities: readonly string[];
  readonly categories: readonly string[];
  /** Read order (access) or execution order (erasure: children before parents). */
  readonly steps: readonly CollectionStep[];
  /** Collections holding personal data that the given identities cannot reach; the request goes on without them. */
  readonly unreached: readonly CollectionAddress[];
  /** Foreign-key cycles among erased collections, reported instead of looped over. */
  readonly cycles: readonly (readonly CollectionAddress[])[];
}
