/**
 * The manifest against the live schema (pure: the tables come from each connector's `introspect()`, read by the
 * caller). A manifest is a description someone wrote; the database's foreign keys are what its writes must obey. So,
 * before an erasure writes anything (and in `steward plan|check --connection`):
 *
 * - a real foreign key between two described collections that the manifest does not declare orders the erasure
 *   anyway (the referencing collection first) and is reported: SC016, "declare it";
 * - a table the manifest does not describe whose foreign key names a described collection is reported (SC017): its
 *   rows make the database refuse the described rows' delete (NO ACTION / RESTRICT), or vanish with them (CASCADE),
 *   or lose their reference (SET NULL) — none of which the manifest says;
 * - every ON DELETE CASCADE key into a collection erasure deletes is listed, so that the rows the database removes
 *   with it are counted in the outcome instead of disappearing unseen;
 * - a cycle of NOT NULL foreign keys among collections whose rows erasure deletes can be satisfied by no order: it is
 *   reported before anything is written (SC018), with the fix;
 * - a described collection that is a view, which erasure would write, is reported (SC019); erasure reads it but
 *   writes nothing through it.
 */
import type { IntrospectedForeignKey, IntrospectedTable, OnDelete } from "../connectors/connector.ts";
import type { Manifest } from "../manifest/types.ts";
import { flattenFields } from "../manifest/validate-references.ts";
import type { Plan } from "./plan.ts";
import type { CollectionAddress } from "./reference-graph.ts";

/** Per dataset key: its tables by name, as introspected. Datasets that could not be introspected are absent. */
export type LiveTables = ReadonlyMap<string, ReadonlyMap<string, IntrospectedTable>>;

export interface SchemaFinding {
  readonly code: "SC016" | "SC017" | "SC018" | "SC019";
  readonly severity: "error" | "warning";
  /** The described collection the finding is about. */
  readonly collection: CollectionAddress;
  readonly message: string;
  readonly fix: string;
  /** SC018: the cycle's collections and its NOT NULL keys. */
  readonly cycle?: { readonly collections: readonly CollectionAddress[]; readonly keys: string };
}

/** An ON DELETE CASCADE key: deleting rows of `parent` deletes the rows of `table` that hold their values. */
export interface Cascade {
  readonly parent: CollectionAddress;
  readonly parentColumns: readonly string[];
  readonly dataset: string;
  readonly table: string;
  readonly columns: readonly string[];
  /** The child as a described collection, when it is one. */
  readonly collection?: CollectionAddress;
}

/** Erasure order the foreign keys impose that the manifest's references do not: `first` before `next`. */
export type LiveOrder = readonly { readonly first: CollectionAddress; readonly next: CollectionAddress }[];

export interface LiveSchema {
  readonly order: LiveOrder;
  readonly cascades: readonly Cascade[];
  /** Described collections that are views in the database: read, never written (SC019 where erasure would). */
  readonly views: readonly CollectionAddress[];
  readonly findings: readonly SchemaFinding[];
}

const RULE_WORDS: Record<OnDelete, string> = {
  no_action: "NO ACTION",
  restrict: "RESTRICT",
  cascade: "CASCADE",
  set_null: "SET NULL",
  set_default: "SET DEFAULT",
};

export function compareLiveSchema(manifest: Manifest, tables: LiveTables): LiveSchema {
  const order: { first: CollectionAddress; next: CollectionAddress }[] = [];
  const cascades: Cascade[] = [];
  const findings: SchemaFinding[] = [];
  const views: CollectionAddress[] = [];
  const declared = declaredPairs(manifest);
  for (const d of manifest.datasets) {
    const live = tables.get(d.fides_key);
    if (!live) continue;
    const described = new Set(d.collections.map((c) => c.name));
    for (const c of d.collections) {
      if (live.get(c.name)?.kind !== "view") continue;
      views.push(`${d.fides_key}.${c.name}`);
      if (c.erasure?.action !== "keep")
        findings.push({
          code: "SC019",
          severity: "warning",
          collection: `${d.fides_key}.${c.name}`,
          message: `collection ${d.fides_key}.${c.name} is a view in the database: erasure reads it but writes nothing through it, so what it shows goes only with the tables it reads`,
          fix: `Describe the tables the view reads instead, or mark the view \`erasure: {action: keep, reason: "a view of …"}\` so that only access reads it.`,
        });
    }
    for (const table of live.values()) {
      for (const fk of table.foreignKeys) {
        if (!described.has(fk.referencedTable) || fk.referencedTable === table.name) continue;
        const parent = `${d.fides_key}.${fk.referencedTable}`;
        const here = `${d.fides_key}.${table.name}`;
        const key = `${table.name}(${fk.columns.join(", ")}) → ${fk.referencedTable}(${fk.referencedColumns.join(", ")})`;
        if (fk.onDelete === "cascade")
          cascades.push({
            parent,
            parentColumns: fk.referencedColumns,
            dataset: d.fides_key,
            table: table.name,
            columns: fk.columns,
            ...(described.has(table.name) ? { collection: here } : {}),
          });
        if (!described.has(table.name)) {
          findings.push({
            code: "SC017",
            severity: "warning",
            collection: parent,
            message: `table "${table.name}" of dataset "${d.fides_key}" is not in the manifest, but its foreign key ${key} names ${parent}: ${undescribedEffect(fk)}`,
            fix: `Describe "${table.name}" in the dataset (its fields, categories and the reference), so that requests reach its rows and erasure orders them.`,
          });
          continue;
        }
        if (fk.columns.some((column, i) => declared.has(pairKey(here, column, parent, fk.referencedColumns[i]!))))
          continue;
        order.push({ first: here, next: parent });
        findings.push({
          code: "SC016",
          severity: "warning",
          collection: here,
          message: `the database has a foreign key ${key} in dataset "${d.fides_key}" that the manifest does not declare; erasure orders by it anyway (${table.name} before ${fk.referencedTable})`,
          fix: `Declare it on ${d.fides_key}.${table.name}.${fk.columns[0]}: \`fides_meta: {references: [{dataset: ${d.fides_key}, field: ${fk.referencedTable}.${fk.referencedColumns[0]}, direction: from}]}\` (add \`steward: {follow: false}\` if the row it names is someone else's).`,
        });
      }
    }
  }
  return { order, cascades, views, findings };
}

/** A plan as the live schema leaves it, and what the live schema says that the manifest does not. */
export interface LivePlan {
  readonly plan: Plan;
  readonly schema: LiveSchema;
  /** The schema's findings and, for an erasure, the cycles of NOT NULL keys no order satisfies (SC018). */
  readonly findings: readonly SchemaFinding[];
}

/**
 * The live-schema step of `steward plan|check --connection` and of every erasure: the manifest compared with the
 * tables; an erasure plan built again (`build`) with the order the undeclared foreign keys add, when they add any; its
 * cycles of NOT NULL keys. `build` is how the caller builds its plan (a whole request's, or a retention rule's
 * restricted one), given an order; `plan` is what it built with none.
 *
 * @example
 *   const build = (order: LiveOrder) => buildPlan(manifest, { action: "erasure", identities: ["email"], order });
 *   const { plan, schema, findings } = planWithLiveSchema(manifest, tables, build);
 */
export function planWithLiveSchema(
  manifest: Manifest,
  tables: LiveTables,
  build: (order: LiveOrder) => Plan,
  plan: Plan = build([]),
): LivePlan {
  const schema = compareLiveSchema(manifest, tables);
  if (plan.action !== "erasure") return { plan, schema, findings: schema.findings };
  const ordered = schema.order.length > 0 ? build(schema.order) : plan;
  return { plan: ordered, schema, findings: [...schema.findings, ...keyCycleFindings(ordered, tables)] };
}

/**
 * Cycles of the plan that no order can satisfy: every member's rows are deleted, and every step around the cycle is a
 * real NOT NULL foreign key (nothing can be set to NULL first to break it).
 */
export function keyCycleFindings(plan: Plan, tables: LiveTables): SchemaFinding[] {
  const steps = new Map(plan.steps.map((s) => [s.collection, s]));
  const out: SchemaFinding[] = [];
  for (const cycle of plan.cycles) {
    if (!cycle.every((c) => steps.get(c)?.treatment?.kind === "delete_rows")) continue;
    const members = new Set(cycle);
    const notNullKeys: string[] = [];
    let satisfiable = false;
    for (const address of cycle) {
      const step = steps.get(address)!;
      const table = tables.get(step.dataset)?.get(step.name);
      const outgoing = (table?.foreignKeys ?? []).filter((fk) => members.has(`${step.dataset}.${fk.referencedTable}`));
      if (outgoing.length === 0) {
        satisfiable = true; // an edge of the manifest's alone: the database does not enforce it
        break;
      }
      for (const fk of outgoing) {
        const nullable = fk.columns.some((c) => table!.columns.find((x) => x.name === c)?.nullable !== false);
        if (nullable) satisfiable = true;
        else notNullKeys.push(`${step.name}(${fk.columns.join(", ")}) → ${fk.referencedTable}`);
      }
      if (satisfiable) break;
    }
    if (satisfiable) continue;
    out.push({
      code: "SC018",
      severity: "error",
      collection: cycle[0]!,
      message: `erasure deletes rows of ${cycle.join(", ")}, which name one another through NOT NULL foreign keys (${notNullKeys.join("; ")}): no order of deletes can satisfy the database, so nothing is written`,
      fix: "Make one of these keys nullable or ON DELETE CASCADE (or DEFERRABLE INITIALLY DEFERRED on PostgreSQL), or mask one collection's rows instead of deleting them (`erasure: {action: mask, …}`).",
      cycle: { collections: [...cycle], keys: notNullKeys.join("; ") },
    });
  }
  return out;
}

/** What an undescribed table's foreign key does when a described row it names is deleted. */
function undescribedEffect(fk: IntrospectedForeignKey): string {
  const rule = fk.onDelete ?? "no_action";
  if (rule === "cascade") return "deleting those rows makes the database delete its rows too (ON DELETE CASCADE)";
  if (rule === "set_null" || rule === "set_default")
    return `deleting those rows makes the database change its rows (ON DELETE ${RULE_WORDS[rule]})`;
  return `while its rows name them, the database refuses to delete them (ON DELETE ${RULE_WORDS[rule]})`;
}

const pairKey = (a: string, af: string, b: string, bf: string) => `${a}.${af}|${b}.${bf}`;

/** Every declared reference, as `child.field|parent.field` in both spellings (either side may carry it). */
function declaredPairs(manifest: Manifest): Set<string> {
  const out = new Set<string>();
  for (const d of manifest.datasets)
    for (const c of d.collections)
      for (const [name, f] of flattenFields(c.fields))
        for (const r of f.references) {
          const [collection = "", ...rest] = r.field.split(".");
          const here = `${d.fides_key}.${c.name}`;
          const there = `${r.dataset}.${collection}`;
          out.add(pairKey(here, name, there, rest.join(".")));
          out.add(pairKey(there, rest.join("."), here, name));
        }
  return out;
}
