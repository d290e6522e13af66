import { ACCOUNT_TABLES } from "./account-tables.ts";
import { ANALYTICS_TABLE_DEFINITIONS } from "./analytics-tables.ts";
import { Catalogue } from "./catalogue.ts";
import { CATALOGUE_TABLES } from "./catalogue-tables.ts";
import { LEARNING_TABLES } from "./learning-tables.ts";
import { LECTURE_TABLES } from "./lecture-tables.ts";
import { People } from "./people.ts";
import { ANALYTICS_TABLES, APP_TABLES, type SeedPlan } from "./seed-plan.ts";
import { SERVICE_TABLES } from "./service-tables.ts";
import { type GeneratorContext, type TableDefinition, toSource } from "./table-definition.ts";
import type { TableSource } from "./table-source.ts";

const DEFINITIONS: ReadonlyMap<string, TableDefinition> = new Map(
  [
    ...ACCOUNT_TABLES,
    ...CATALOGUE_TABLES,
    ...LEARNING_TABLES,
    ...SERVICE_TABLES,
    ...LECTURE_TABLES,
    ...ANALYTICS_TABLE_DEFINITIONS,
  ].map((d) => [d.table, d]),
);

function sourcesFor(tables: readonly string[], ctx: GeneratorContext): TableSource[] {
  return tables.map((table) => {
    const definition = DEFINITIONS.get(table);
    if (!definition) throw new Error(`no generator for demo table ${table}`);
    return toSource(definition, ctx);
  });
}

/**
 * The demo's tables as lazily generated row sources, in load order, for both databases.
 *
 * @example
 *   const { app } = demoSources(planSeed(100, 1));
 *   for (const chunk of app[0].chunks()) process.stdout.write(chunk.text); // the users table as TSV
 */
export function demoSources(plan: SeedPlan): { app: TableSource[]; analytics: TableSource[] } {
  const ctx: GeneratorContext = { plan, people: new People(plan.seed, plan.learners), catalogue: new Catalogue(plan) };
  return { app: sourcesFor(APP_TABLES, ctx), analytics: sourcesFor(ANALYTICS_TABLES, ctx) };
}
