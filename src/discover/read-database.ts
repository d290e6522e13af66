/**
 * The one part of discovery that touches a database, and only through the Connector contract: the catalogue
 * (`introspect`) and up to `sampleLimit` rows of each table (`sample`), of the columns a detector can read. The rows
 * go straight to the pure discover-dataset.ts and are dropped with it.
 */
import type { Connector, IntrospectedTable, Row } from "../connectors/connector.ts";
import { isSampleable } from "./fides-data-type.ts";

export interface DatabaseContents {
  readonly tables: readonly IntrospectedTable[];
  readonly samples: ReadonlyMap<string, readonly Row[]>;
}

export async function readDatabase(connector: Connector, sampleLimit: number): Promise<DatabaseContents> {
  const tables = await connector.introspect();
  const samples = new Map<string, readonly Row[]>();
  if (sampleLimit > 0)
    for (const t of tables) {
      const columns = t.columns.filter((c) => isSampleable(c.type)).map((c) => c.name);
      if (columns.length > 0) samples.set(t.name, await connector.sample(t.name, columns, sampleLimit));
    }
  return { tables, samples };
}
