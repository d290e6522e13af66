/**
 * Turns a database's catalogue and a sample of its rows into a Discovery (pure). Two passes: every column gets the
 * suggestion its name and values give; then key columns are looked at, because a key means something only once the
 * table it belongs to is known — the primary key of a table of people and a foreign key pointing at it hold
 * `user.unique_id`. Foreign keys become references with `direction: from` on the child column: the parent key's
 * values find the child's rows, which is how a request that starts at a person reaches them.
 */
import type { IntrospectedTable, Row } from "../connectors/connector.ts";
import type { ConnectorKind } from "../manifest/types.ts";
import type { DiscoveredCollection, DiscoveredField, DiscoveredReference, Discovery, Suggestion } from "./discovery.ts";
import { fidesDataType } from "./fides-data-type.ts";
import { isPeopleTable } from "./name-rules.ts";
import { suggestColumn } from "./suggest-column.ts";

export interface DiscoverInput {
  readonly dataset: string;
  readonly kind: ConnectorKind;
  readonly database: string;
  readonly envVar: string;
  readonly tables: readonly IntrospectedTable[];
  /** Sampled rows by table (absent or empty: nothing sampled). */
  readonly samples: ReadonlyMap<string, readonly Row[]>;
  readonly sampleLimit: number;
  readonly today: Date;
}

/** Categories that say a table is about people, so that its key identifies a person. */
const PERSON_CATEGORIES = ["user.contact.email", "user.contact.phone_number", "user.name", "user.account.username"];
/** A Fides reference is written "collection.field", so neither name may hold a dot or white space. */
const ADDRESSABLE = /^[^.\s]+$/;

export function discoverDataset(input: DiscoverInput): Discovery {
  const notes: string[] = [];
  // A table inheriting from another is folded into it: reading or erasing through the parent covers its rows.
  const inheritedFrom = new Map(input.tables.flatMap((t) => (t.inheritedBy ?? []).map((c) => [c, t.name] as const)));
  const tables = input.tables.filter((t) => {
    if (t.kind === "view") {
      notes.push(`"${t.name}" is a view: it cannot be written, so it was left out (describe the tables it reads)`);
      return false;
    }
    const parent = inheritedFrom.get(t.name);
    if (parent) {
      notes.push(`table "${t.name}" inherits from "${parent}": its rows are read and erased through "${parent}"`);
      return false;
    }
    if (t.columns.length === 0) notes.push(`table "${t.name}" was left out: it has no columns`);
    if (t.columns.length > 0 && t.partitions && t.partitions.length > 0)
      notes.push(
        `table "${t.name}" is partitioned (${t.partitions.length} partition(s): ${t.partitions.slice(0, 3).join(", ")}${t.partitions.length > 3 ? ", …" : ""}): one collection, read and written through "${t.name}"`,
      );
    return t.columns.length > 0;
  });

  const firstPass = new Map<string, Map<string, Suggestion | undefined>>();
  for (const t of tables) {
    const rows = input.samples.get(t.name) ?? [];
    const byColumn = new Map<string, Suggestion | undefined>();
    for (const c of t.columns)
      byColumn.set(
        c.name,
        suggestColumn({
          table: t.name,
          column: c,
          dataType: fidesDataType(c.type),
          values: rows.map((r) => r[c.name]),
          today: input.today,
        }),
      );
    firstPass.set(t.name, byColumn);
  }
  const people = new Set(
    tables
      .filter(
        (t) =>
          isPeopleTable(t.name) ||
          [...(firstPass.get(t.name)?.values() ?? [])].some((s) =>
            s?.categories.some((c) => PERSON_CATEGORIES.some((p) => c === p || c.startsWith(`${p}.`))),
          ),
      )
      .map((t) => t.name),
  );

  const collections = tables.map((t): DiscoveredCollection => {
    const fields = t.columns.map((c): DiscoveredField => {
      const references: DiscoveredReference[] = [];
      const keyReasons: string[] = [];
      for (const fk of t.foreignKeys) {
        const at = fk.columns.indexOf(c.name);
        const parentColumn = fk.referencedColumns[at];
        if (at < 0 || parentColumn === undefined) continue;
        if (![fk.referencedTable, parentColumn, t.name, c.name].every((n) => ADDRESSABLE.test(n))) {
          notes.push(
            `the reference ${t.name}.${c.name} → ${fk.referencedTable}.${parentColumn} was left out: a name holds a dot or a space, which a Fides reference cannot address`,
          );
          continue;
        }
        references.push({ dataset: input.dataset, field: `${fk.referencedTable}.${parentColumn}`, direction: "from" });
        if (people.has(fk.referencedTable))
          keyReasons.push(`it references "${fk.referencedTable}.${parentColumn}", the key of a table of people`);
      }
      if (people.has(t.name) && t.primaryKey.length === 1 && t.primaryKey[0] === c.name)
        keyReasons.push(`it is the primary key of "${t.name}", a table of people`);
      const suggestion = withKeyReasons(firstPass.get(t.name)?.get(c.name), keyReasons);
      return {
        name: c.name,
        dataType: fidesDataType(c.type),
        ...(c.maxLength === undefined ? {} : { length: c.maxLength }),
        primaryKey: t.primaryKey.includes(c.name),
        references,
        ...(suggestion ? { suggestion } : {}),
      };
    });
    return { name: t.name, fields };
  });

  return {
    dataset: input.dataset,
    kind: input.kind,
    database: input.database,
    envVar: input.envVar,
    sampleLimit: input.sampleLimit,
    collections,
    notes,
  };
}

/**
 * A key of a table of people holds `user.unique_id`. A key whose own name or values said something else (an e-mail
 * address used as the key) keeps that suggestion alone.
 */
function withKeyReasons(suggestion: Suggestion | undefined, keyReasons: readonly string[]): Suggestion | undefined {
  if (keyReasons.length === 0) return suggestion;
  if (!suggestion) return { categories: ["user.unique_id"], reasons: keyReasons };
  if (!suggestion.categories.includes("user.unique_id")) return suggestion;
  return { ...suggestion, reasons: [...suggestion.reasons, ...keyReasons] };
}
