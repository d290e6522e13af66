/** Every rule pack, by the manifest jurisdiction key that selects it. */
import { BR_PACK } from "./brazil-pack.ts";
import type { RulePack } from "./deadline-rule.ts";
import { CH_PACK, EEA_PACK, UK_PACK } from "./european-packs.ts";
import { US_CA_PACK, US_CO_PACK, US_CT_PACK, US_VA_PACK } from "./us-state-packs.ts";

export const RULE_PACKS: Readonly<Record<string, RulePack>> = Object.fromEntries(
  [EEA_PACK, UK_PACK, CH_PACK, US_CA_PACK, US_VA_PACK, US_CO_PACK, US_CT_PACK, BR_PACK].map((p) => [p.jurisdiction, p]),
);

/** The jurisdiction keys that have a rule pack; any other key (e.g. `global`) takes its figures from the manifest. */
export const PACK_JURISDICTIONS: readonly string[] = Object.keys(RULE_PACKS);
