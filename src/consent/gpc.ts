/**
 * Global Privacy Control: a browser that sends `Sec-GPC: 1` (or exposes `navigator.globalPrivacyControl === true`)
 * has made a valid request to opt out of the sale and sharing of personal information, including for targeted
 * advertising (Cal. Code Regs. tit. 11, §7025), without being asked anything more. Honouring it records, for the
 * subject the request names, a withdrawal with method `gpc` of every sale-or-sharing purpose not already withdrawn,
 * so a repeated signal writes nothing.
 *
 * The signal overrides an earlier opt-in (§7025(c)(3)); the one opt-in it leaves standing is one the person gave
 * after the signal had opted them out — they were told of the conflict and chose.
 */
import { isSaleOrSharing } from "../manifest/jurisdictions.ts";
import type { ConsentEventRow } from "./append-consent-events.ts";
import type { ConsentLedger } from "./consent-ledger.ts";
import type { ConsentSubject } from "./consent-subject.ts";

/** The `/.well-known/gpc.json` resource (GPC specification §4): this site honours the signal. */
export const gpcWellKnown = (lastUpdate: string | undefined) => ({
  gpc: true,
  ...(lastUpdate ? { lastUpdate } : {}),
});

export async function honourGpc(
  ledger: ConsentLedger,
  subject: ConsentSubject,
  options: {
    jurisdiction?: string | undefined;
    proof?: string | undefined;
    actor: string;
    /** An e-mail address the caller vouched for with a subject of another type (RecordInput.email). */
    email?: string | undefined;
  },
): Promise<ConsentEventRow[]> {
  const state = await ledger.state(subject);
  const due = ledger.manifest.purposes.filter((p) => {
    if (!isSaleOrSharing(p)) return false;
    const choice = state.choices.get(p.key);
    // Already opted out (by this signal or otherwise), or opted back in by the person after a signal: leave it.
    if (choice?.status === "withdrawn") return false;
    if (choice?.status === "granted" && state.optedInAfterSignal.has(p.key)) return false;
    return true;
  });
  return ledger.record(
    due.map((p) => ({
      subject,
      purpose: p.key,
      status: "withdrawn" as const,
      method: "gpc" as const,
      jurisdiction: options.jurisdiction,
      proof: options.proof,
      actor: options.actor,
      email: options.email,
    })),
  );
}
