/**
 * The privacy center's choices form, applied: for each purpose the form showed, the switch as sent against where the
 * person's switch stands (their recorded choice, else the default), and a direct-marketing objection ticked — only
 * the differences become ledger events (method `preferences`), so a form sent again unchanged records nothing, and a
 * restriction or an age that stops a purpose does not make its ticked switch record a consent again.
 */
import type { ConsentEventRow } from "./append-consent-events.ts";
import { hasObjected, preferenceKind, switchIsOn } from "./choices.ts";
import type { ConsentLedger } from "./consent-ledger.ts";

export interface PreferencesForm {
  /** The purposes the form showed a control for. */
  readonly shown: ReadonlySet<string>;
  /** Switches on. */
  readonly allow: ReadonlySet<string>;
  /** Objections ticked. */
  readonly object: ReadonlySet<string>;
}

export async function applyPreferences(
  ledger: ConsentLedger,
  subject: string,
  jurisdiction: string | undefined,
  form: PreferencesForm,
  options: { readonly proof?: string; readonly actor?: string } = {},
): Promise<ConsentEventRow[]> {
  const parsed = ledger.subject(subject);
  const state = await ledger.state(parsed);
  const rights = ledger.jurisdiction(jurisdiction, state);
  const changes: { purpose: string; status: "granted" | "withdrawn" | "objected" }[] = [];
  for (const p of ledger.manifest.purposes) {
    if (!form.shown.has(p.key)) continue;
    const kind = preferenceKind(p, rights);
    if (kind === "switch") {
      const wanted = form.allow.has(p.key);
      if (wanted !== switchIsOn(p, rights, state, ledger.stale(p.key)))
        changes.push({ purpose: p.key, status: wanted ? "granted" : "withdrawn" });
    } else if (kind === "object" && form.object.has(p.key) && !hasObjected(p, rights, state)) {
      changes.push({ purpose: p.key, status: "objected" });
    }
  }
  if (changes.length === 0) return [];
  return ledger.record(
    changes.map((c) => ({
      subject: parsed,
      purpose: c.purpose,
      status: c.status,
      method: "preferences" as const,
      jurisdiction: rights?.jurisdiction,
      proof: options.proof,
      actor: options.actor ?? "subject",
    })),
  );
}
