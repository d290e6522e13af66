import type { Catalogue } from "./catalogue.ts";
import type { People } from "./people.ts";
import { hashName, Prng } from "./prng.ts";
import type { DemoTable, SeedPlan } from "./seed-plan.ts";
import type { TableSource } from "./table-source.ts";
import { type TsvChunk, TsvWriter } from "./tsv.ts";

/** What every table generator may read: the plan's counts and the facts shared between tables. */
export interface GeneratorContext {
  readonly plan: SeedPlan;
  readonly people: People;
  readonly catalogue: Catalogue;
}

/** Writes the rows of unit `i` (1-based: a learner, or a course for catalogue tables) into `out`. */
export type UnitWriter = (i: number, out: TsvWriter) => void;

/**
 * How one table is generated. `start` is called once per run with the table's own random stream and returns the
 * writer for one unit; state that runs across units (the next row id, the enrolment offset) lives in its closure.
 */
export interface TableDefinition {
  readonly table: DemoTable;
  readonly columns: readonly string[];
  /** How many units to walk: the learners for most tables, the catalogue size for the others. */
  readonly units: (plan: SeedPlan) => number;
  readonly start: (ctx: GeneratorContext, rng: Prng) => UnitWriter;
}

export const perLearner = (plan: SeedPlan): number => plan.learners;

/** The table as the loaders see it: each call of `chunks()` replays the same rows from the start. */
export function toSource(definition: TableDefinition, ctx: GeneratorContext): TableSource {
  return {
    table: definition.table,
    columns: definition.columns,
    rows: ctx.plan.rows[definition.table],
    *chunks(): Generator<TsvChunk> {
      const write = definition.start(ctx, new Prng(ctx.plan.seed, hashName(definition.table)));
      const out = new TsvWriter();
      const units = definition.units(ctx.plan);
      for (let i = 1; i <= units; i++) {
        write(i, out);
        if (out.full) yield out.take();
      }
      if (!out.empty) yield out.take();
    },
  };
}
