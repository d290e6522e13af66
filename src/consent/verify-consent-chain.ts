/** Recomputes the consent ledger's hash chain, with the walk the audit trail uses (src/audit/verify-audit-chain.ts). */
import type { Kysely } from "kysely";
import { type ChainVerdict, walkChain } from "../audit/verify-audit-chain.ts";
import type { StoreSchema } from "../store/store-schema.ts";
import { type ConsentEventRow, consentHash } from "./append-consent-events.ts";

/** The consent ledger's chain (GDPR Art. 7(1): the controller must be able to show that consent was given). */
export function verifyConsentChain(db: Kysely<StoreSchema>): Promise<ChainVerdict> {
  return walkChain<ConsentEventRow>(
    (after, limit) =>
      db.selectFrom("consent_events").selectAll().where("seq", ">", after).orderBy("seq").limit(limit).execute(),
    (row) => String(row.seq),
    (row) => `consent.${row.status}`,
    consentHash,
  );
}
