import type { Command } from "commander";
import { knownIdentityTypes, parseIdentityPairs } from "../../engine/identities.ts";
import { loadManifestDir } from "../../fs/load-manifest-dir.ts";
import { buildPlan } from "../../plan/build-plan.ts";
import { explainPlan, planToDot } from "../../plan/explain-plan.ts";
import { PLAN_ACTIONS } from "../../plan/plan.ts";
import { dotToSvg } from "../../render/dot-to-svg.ts";
import { oneOf, runAction } from "../run-action.ts";

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
    .action(
      runAction(async (dir: string, o: { identity: string[]; action: string; category: string[]; format: string }) => {
        const action = oneOf("--action", o.action, PLAN_ACTIONS);
        const format = oneOf("--format", o.format, ["text", "json", "dot", "svg"] as const);
        const manifest = await loadManifestDir(dir);
        // The same parsing as `steward request`; the plan keeps the types only.
        const types = [...parseIdentityPairs(o.identity, knownIdentityTypes(manifest)).keys()];
        const plan = buildPlan(manifest, { action, identities: types, categories: o.category });
        process.stdout.write(
          format === "json"
            ? `${JSON.stringify(plan, null, 2)}\n`
            : format === "dot"
              ? planToDot(plan)
              : format === "svg"
                ? await dotToSvg(planToDot(plan))
                : explainPlan(plan),
        );
        return undefined;
      }),
    );
}
