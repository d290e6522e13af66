/**
 * What the engine knows of each column a mask writes: the store's own introspection where it has one (type, NOT NULL,
 * UNIQUE, length), else the manifest's `data_type`/`length`, and whether the column points at another row's key
 * (a foreign key in the store, or a reference to a primary key in the manifest).
 */
import type { IntrospectedTable } from "../connectors/connector.ts";
import type { Field } from "../manifest/types.ts";
import { type ColumnShape, columnTypeOf } from "./mask.ts";

export function columnShapes(
  fields: ReadonlyMap<string, Field>,
  table: IntrospectedTable | undefined,
  isKeyReference: (field: string) => boolean,
): Map<string, ColumnShape> {
  const shapes = new Map<string, ColumnShape>();
  const foreign = new Set(table?.foreignKeys.flatMap((k) => k.columns) ?? []);
  for (const [name, field] of fields) {
    if (field.fields.length > 0) continue;
    const column = table?.columns.find((c) => c.name === name);
    const reference = foreign.has(name) || isKeyReference(name);
    const maxLength = column?.maxLength ?? field.length;
    shapes.set(name, {
      type: columnTypeOf(column?.type ?? field.data_type),
      // Without introspection (an HTTP processor), assume the safest: NULL is allowed only if the manifest says nothing.
      nullable: column ? column.nullable : !field.primary_key,
      unique: column ? column.unique : field.primary_key,
      ...(maxLength !== undefined ? { maxLength } : {}),
      reference,
      ...(foreign.has(name) ? { foreignKey: true } : {}),
    });
  }
  return shapes;
}
