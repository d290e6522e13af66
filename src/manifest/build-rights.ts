/**
 * Builds one jurisdiction's rights from its checked YAML: the deadline and extension as stated periods (either the
 * worded form, `deadline: 1 month`, or the older `deadline_days: 30`), and the verification level of every request type
 * the jurisdiction offers.
 */
import { type StewardError, stewardError } from "../errors.ts";
import type { RawResource } from "./build-manifest.ts";
import type { RightsInput } from "./schema.ts";
import type { JurisdictionRights, PeriodUnit, RequestType, StatedPeriod, VerificationLevel } from "./types.ts";

/** "1 month" → {1, months}; "15 business days" → {15, business_days}. The schema has checked the form. */
export function parseStatedPeriod(text: string): StatedPeriod {
  const m = /^(\d+) (day|business day|month)s?$/.exec(text);
  if (!m) throw new Error(`not a stated period: ${text}`);
  const unit: PeriodUnit = m[2] === "month" ? "months" : m[2] === "day" ? "days" : "business_days";
  return { amount: Number(m[1]), unit };
}

/** The one of `worded` (`deadline`) and `days` (`deadline_days`) the YAML gives; an error when both or none is. */
function statedPeriod(
  input: RightsInput,
  field: "deadline" | "extension",
  raw: RawResource,
  errors: StewardError[],
): StatedPeriod | undefined {
  const worded = input[field];
  const days = input[`${field}_days`];
  const at = (key: string) => raw.locator.locate([...raw.path, key]);
  if (worded !== undefined && days !== undefined) {
    errors.push(
      stewardError(
        "STW_MANIFEST_INVALID_VALUE",
        {
          value: `${field}: ${worded} and ${field}_days: ${days}`,
          detail: `give "${field}" or the older "${field}_days", not both`,
        },
        at(`${field}_days`),
      ),
    );
  }
  if (worded !== undefined) return parseStatedPeriod(worded);
  if (days !== undefined) return days === 0 ? undefined : { amount: days, unit: "days" };
  if (field === "deadline")
    errors.push(
      stewardError("STW_MANIFEST_MISSING_KEY", { key: "deadline", parent: `rights "${input.jurisdiction}"` }, at("")),
    );
  return undefined;
}

/** Every offered request type's level: its own, else `default`; a type with neither is an error. */
function verificationByType(input: RightsInput, raw: RawResource, errors: StewardError[]) {
  const given = input.verification;
  const levels: Partial<Record<RequestType, VerificationLevel>> = {};
  for (const type of input.requests) {
    const level = typeof given === "string" ? given : (given[type] ?? given.default);
    if (level) levels[type] = level;
    else
      errors.push(
        stewardError(
          "STW_MANIFEST_MISSING_KEY",
          { key: type, parent: `rights "${input.jurisdiction}".verification (or give a "default" there)` },
          raw.locator.locate([...raw.path, "verification"]),
        ),
      );
  }
  return levels;
}

export function buildRights(input: RightsInput, raw: RawResource, errors: StewardError[]): JurisdictionRights {
  const deadline = statedPeriod(input, "deadline", raw, errors) ?? { amount: 1, unit: "days" };
  const extension = statedPeriod(input, "extension", raw, errors);
  const { deadline: _d, deadline_days: _dd, extension: _e, extension_days: _ed, verification: _v, ...rest } = input;
  return {
    ...rest,
    deadline,
    ...(extension ? { extension } : {}),
    verification: verificationByType(input, raw, errors),
    at: raw.locator.locate(raw.path),
  };
}
