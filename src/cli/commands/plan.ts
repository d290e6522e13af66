import type { Command } from "commander";
import { knownIdentityTypes, parseIdentityPairs } from "../../engine/identities.ts";
import { loadManifestDir } from "../../fs/load-manifest-dir.ts";
import { buildPlan } from "../../plan/build-plan.ts";
import { explainPlan, planToDot } from "../../plan/explain-plan.ts";
import { type LiveOrder, planWithLiveSchema } from "../../plan/live-schema.ts";
import { PLAN_ACTIONS } from "../../plan/plan.ts";
import { dotToSvg } from "../../render/dot-to-svg.ts";
import { liveTablesOf } from "../live-schema-of.ts";
import { EXIT, oneOf, runAction } from "../run-action.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

export function register(program: Command): void {
  program
    .command("plan")
    .description("Plan a request from the manifest alone (no database is touched) and print it.")
    .argument("[dir]", "manifest folder", ".")
    .requiredOption(
      "--identity <TYPE=VALUE>",
      "an identity of the person (repeatable); the plan names its type only",
      collect,
      [],
    )
    .option("--action <action>", "access | erasure | rectification", "access")
    .option("--category <key>", "limit access to a data category (repeatable)", collect, [])
    .option("--explain", "print the plan as readable text (the default format)")
    .option("--format <format>", "text | json | dot | svg", "text")
    .option(
      "--connection <DATASET=URL>",
      "compare with this dataset's live schema: its foreign keys order the plan, and what the manifest misses is printed (repeatable)",
      collect,
      [],
    )
    .action(
      runAction(
        async (
          dir: string,
          o: { identity: string[]; action: string; category: string[]; format: string; connection: string[] },
        ) => {
          const action = oneOf("--action", o.action, PLAN_ACTIONS);
          const format = oneOf("--format", o.format, ["text", "json", "dot", "svg"] as const);
          const manifest = await loadManifestDir(dir);
          // The same parsing as `steward request`; the plan keeps the types only.
          const types = [...parseIdentityPairs(o.identity, knownIdentityTypes(manifest)).keys()];
          const build = (order: LiveOrder) =>
            buildPlan(manifest, { action, identities: types, categories: o.category, order });
          const { plan, findings } =
            o.connection.length > 0
              ? planWithLiveSchema(manifest, await liveTablesOf(manifest, o.connection), build)
              : { plan: build([]), findings: [] };
          const found =
            findings.length === 0
              ? ""
              : `\nthe live schema says what the manifest does not:\n${findings
                  .map((f) => `  ${f.severity} ${f.code}: ${f.message}\n    fix: ${f.fix}`)
                  .join("\n")}\n`;
          process.stdout.write(
            format === "json"
              ? `${JSON.stringify(findings.length > 0 ? { ...plan, schema_findings: findings } : plan, null, 2)}\n`
              : format === "dot"
                ? planToDot(plan)
                : format === "svg"
                  ? await dotToSvg(planToDot(plan))
                  : explainPlan(plan) + found,
          );
          if (format === "dot" || format === "svg") process.stderr.write(found);
          return findings.some((f) => f.severity === "error") ? EXIT.findings : undefined;
        },
      ),
    );
}
