/**
 * What the engine reports while it works, for progress output and for the audit log the request service writes.
 * Events carry collection addresses and counts only — never a key, an identity or a row value.
 */
export type EngineEvent =
  | { readonly kind: "collection_read"; readonly collection: string; readonly rows: number }
  | { readonly kind: "collection_unreached"; readonly collection: string; readonly why: string }
  | {
      readonly kind: "collection_written";
      readonly collection: string;
      readonly deleted: number;
      readonly masked: number;
      readonly updated: number;
    }
  /** `transactions`: a store written by key only, split over that many transactions (a large batch). */
  | { readonly kind: "store_committed"; readonly dataset: string; readonly transactions?: number }
  | { readonly kind: "store_failed"; readonly dataset: string; readonly why: string }
  | { readonly kind: "proof_checked"; readonly complete: boolean; readonly residual: number };

export interface EngineEvents {
  emit(event: EngineEvent): void;
}

/** Collects events in memory (tests, and the CLI's --json output). */
export class EventLog implements EngineEvents {
  readonly events: EngineEvent[] = [];
  constructor(private readonly forward?: (event: EngineEvent) => void) {}
  emit(event: EngineEvent): void {
    this.events.push(event);
    this.forward?.(event);
  }
}
