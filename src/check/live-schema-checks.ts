/**
 * `steward check --connection`: the live-schema findings (src/plan/live-schema.ts) as check findings — SC016 and
 * SC017 for the foreign keys the manifest misses, SC018 for a cycle of NOT NULL keys the full erasure plan (every
 * identity type) cannot order. Pure: the tables are read by the caller.
 */

import { knownIdentityTypes } from "../engine/identities.ts";
import type { SourceLocation } from "../errors.ts";
import type { Manifest } from "../manifest/types.ts";
import { buildPlan } from "../plan/build-plan.ts";
import { type LiveTables, planWithLiveSchema } from "../plan/live-schema.ts";
import { CHECK_RULES } from "./rules.ts";
import type { CheckReport, Finding } from "./run-checks.ts";

export function withLiveSchema(manifest: Manifest, report: CheckReport, tables: LiveTables): CheckReport {
  const identities = knownIdentityTypes(manifest);
  const live = planWithLiveSchema(manifest, tables, (order) =>
    buildPlan(manifest, { action: "erasure", identities, order }),
  );
  const rules = new Map(Object.values(CHECK_RULES).map((r) => [r.code, r]));
  const locations = new Map<string, SourceLocation>(
    manifest.datasets.flatMap((d) => d.collections.map((c) => [`${d.fides_key}.${c.name}`, c.at] as const)),
  );
  const findings: Finding[] = live.findings.map((f) => ({
    code: f.code,
    severity: rules.get(f.code)?.severity ?? f.severity,
    message: f.message,
    location: locations.get(f.collection)!,
    fix: f.fix,
  }));
  const errors = [...report.errors, ...findings.filter((f) => f.severity === "error")];
  const warnings = [...report.warnings, ...findings.filter((f) => f.severity === "warning")];
  return { errors, warnings, summary: { ...report.summary, errors: errors.length, warnings: warnings.length } };
}
