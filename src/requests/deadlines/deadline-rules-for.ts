import { stewardError } from "../../errors.ts";
import type { JurisdictionRights, RequestType, StatedPeriod } from "../../manifest/types.ts";
import type { DeadlineRule, Period } from "./deadline-rule.ts";
import { PACK_JURISDICTIONS, RULE_PACKS } from "./rule-packs.ts";

const fromManifest = (p: StatedPeriod, cite: string): Period => ({ ...p, cite, source: "manifest" });

/** A rule from the manifest's own figures, for a jurisdiction no law's pack covers (`global`, or a key of its own). */
function manifestRule(jurisdiction: string, rights: JurisdictionRights): DeadlineRule {
  return {
    jurisdiction,
    law: rights.law,
    source: "manifest",
    clockStarts: { at: "receipt", cite: `the manifest (rights "${jurisdiction}")` },
    acknowledge: null,
    respond: fromManifest(rights.deadline, `the manifest's \`deadline\` (rights "${jurisdiction}")`),
    extension: rights.extension
      ? fromManifest(rights.extension, `the manifest's \`extension\` (rights "${jurisdiction}")`)
      : null,
    counting: "the day of receipt is not counted; a period in months ends on the same date, or that month's last day",
    rollOver: null,
    appeal: null,
    notes: ["No law's rule pack covers this jurisdiction: the deadline is the company's own commitment."],
    sources: [],
  };
}

/**
 * The deadline rule for a manifest jurisdiction: the law's rule pack when the key has one (`eea`, `uk`, `ch`, `us_ca`,
 * `us_va`, `us_co`, `us_ct`, `br`), else a rule built from the manifest's own `deadline` and `extension`. Give the request
 * type to get the rule a law sets for that type (California's opt-outs, Connecticut's consent revocation).
 *
 * Throws STW_DEADLINE_UNKNOWN_JURISDICTION when the key has no pack and no `rights` are given.
 *
 * @example
 *   const rule = deadlineRulesFor("us_ca", rights, "opt_out_sale_sharing");
 *   rule.respond; // { amount: 15, unit: "business_days", cite: "11 CCR §7026(f)(1)", source: "law" }
 */
export function deadlineRulesFor(jurisdiction: string, rights?: JurisdictionRights, type?: RequestType): DeadlineRule {
  const pack = RULE_PACKS[jurisdiction];
  if (!pack) {
    if (rights) return manifestRule(jurisdiction, rights);
    throw stewardError("STW_DEADLINE_UNKNOWN_JURISDICTION", { jurisdiction, allowed: PACK_JURISDICTIONS });
  }
  const rule = (type && pack.byRequest.find((r) => r.requestTypes?.includes(type))) || pack.rule;
  if (pack.extensionFromManifest && rule.extension === null && rights?.extension)
    return { ...rule, extension: fromManifest(rights.extension, pack.extensionFromManifest) };
  return rule;
}
