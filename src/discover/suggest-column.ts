/**
 * The suggestion for one column, from its name and its sampled values: the name's category first, then each value
 * detector's category unless it is the same as (or above or below) one already suggested, in which case it only adds
 * its reason. A unique column that clearly holds e-mail addresses or phone numbers is marked as that identity.
 */
import type { IntrospectedColumn } from "../connectors/connector.ts";
import { isWithin } from "../manifest/taxonomy/build-taxonomy.ts";
import { detectValues } from "./detect-values.ts";
import type { Suggestion } from "./discovery.ts";
import { categoryFromName, isTimestampName } from "./name-rules.ts";

export interface ColumnInput {
  readonly table: string;
  readonly column: IntrospectedColumn;
  /** Fides data type (fides-data-type.ts): boolean columns get no suggestion. */
  readonly dataType: string;
  readonly values: readonly unknown[];
  readonly today: Date;
}

const IDENTITIES: Readonly<Record<string, string>> = {
  "user.contact.email": "email",
  "user.contact.phone_number": "phone_number",
};
/** Share of sampled values that must agree before a unique column without a telling name becomes an identity. */
const IDENTITY_SHARE = 0.9;

const related = (a: string, b: string) => isWithin(a, b) || isWithin(b, a);

export function suggestColumn(input: ColumnInput): Suggestion | undefined {
  if (input.dataType === "boolean") return undefined;
  const name = categoryFromName(input.table, input.column.name);
  const evidence = detectValues(input.values, {
    today: input.today,
    skip: (d) => d.category === "user.demographic.date_of_birth" && isTimestampName(input.column.name),
  });
  const categories: string[] = name ? [name.category] : [];
  const reasons: string[] = name ? [name.reason] : [];
  for (const e of evidence) {
    const same = categories.findIndex((c) => related(c, e.category));
    // Of two related keys the more specific one says more (user.name.first over user.name).
    if (same >= 0 && isWithin(e.category, categories[same]!)) categories[same] = e.category;
    else if (same < 0) categories.push(e.category);
    reasons.push(e.reason);
  }
  if (categories.length === 0) return undefined;

  let identity: string | undefined;
  if (input.column.unique)
    for (const [category, type] of Object.entries(IDENTITIES)) {
      if (!categories.includes(category)) continue;
      const seen = evidence.find((e) => e.category === category);
      if (name?.category === category || (seen && seen.matched >= IDENTITY_SHARE * seen.of)) {
        identity = type;
        reasons.push(`the column is unique, so it is marked as the "${type}" identity`);
        break;
      }
    }
  return { categories, reasons, ...(identity ? { identity } : {}) };
}
