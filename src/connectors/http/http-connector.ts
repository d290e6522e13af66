/**
 * The connector for an external processor's API, driven by a spec (http-spec.ts). It keeps the contract every store
 * keeps, mapped onto the operations the spec declares: a collection is a spec resource, a read by keys is one find
 * per value (processors have no batch lookup: `maxParameters` is 1), a delete or an update is one call per record id.
 * There are no transactions: each call is final at the vendor, and each is idempotent, so a request that failed half
 * way is finished by running it again. A record the vendor no longer has (404) counts 0 and is not an error.
 */
import { stewardError } from "../../errors.ts";
import { columnsOf, columnsToSet } from "../columns-of.ts";
import type { Connector, ConnectorCapabilities, IntrospectedTable, KeyColumns, Row, RowUpdate } from "../connector.ts";
import { findRecords } from "./find-records.ts";
import type { HttpClient } from "./http-client.ts";
import type { HttpSpec, ResourceSpec } from "./http-spec.ts";
import { matchesAll, valueAt } from "./json-pointer.ts";
import { buildBody } from "./request-body.ts";

/**
 * The distinct keys worth a call. An empty or missing key finds nothing in a database; sent to an API it could turn a
 * filter off (`?email=` listing every customer) or address the collection instead of a record.
 */
const usable = (keys: readonly unknown[]): unknown[] =>
  [...new Set(keys)].filter((k) => k !== null && k !== undefined && k !== "");

const CAPABILITIES: ConnectorCapabilities = {
  supportsReturning: false,
  supportsTransactions: false,
  supportsTransactionalDdl: false,
  supportsArrayParameters: false,
  maxParameters: 1,
  supportsConditions: false,
  readsBesideWrites: true,
  concurrentTransactions: 1,
};

export class HttpConnector implements Connector {
  readonly kind = "http" as const;
  readonly capabilities = CAPABILITIES;

  constructor(
    private readonly spec: HttpSpec,
    private readonly client: HttpClient,
  ) {}

  /** The spec's resources as tables: every field a column (typed `json`: the vendor's JSON value), `id` the key. */
  async introspect(): Promise<IntrospectedTable[]> {
    return Object.entries(this.spec.resources)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, r]) => ({
        name,
        columns: Object.keys(r.fields).map((f) => ({
          name: f,
          type: "json",
          nullable: f !== r.id,
          unique: f === r.id,
        })),
        primaryKey: [r.id],
        foreignKeys: [],
      }));
  }

  async *readByKeys(
    table: string,
    keyColumns: KeyColumns,
    keys: readonly unknown[],
    columns: readonly string[],
  ): AsyncIterable<Row[]> {
    const keyColumn = single(keyColumns);
    const resource = this.resource(table);
    const pointers = columns.map((c) => [c, this.pointer(table, resource, c)] as const);
    for (const records of this.find(table, resource, keyColumn, keys)) {
      const found = await records;
      if (found.length > 0)
        yield found.map((record) => Object.fromEntries(pointers.map(([c, p]) => [c, valueAt(record, p) ?? null])));
    }
  }

  async deleteByKeys(table: string, keyColumns: KeyColumns, keys: readonly unknown[]): Promise<number> {
    const keyColumn = single(keyColumns);
    const resource = this.resource(table);
    const op = resource.delete ?? this.unsupported(table, resource, "delete");
    let count = 0;
    for (const id of await this.ids(table, resource, keyColumn, keys)) {
      const path = op.path.replaceAll("{id}", encodeURIComponent(String(id)));
      const answer = await this.client.send({ method: op.method, template: op.path, path }, [404]);
      if (answer.status !== 404 && matchesAll(answer.body, op.confirm)) count++;
    }
    return count;
  }

  async updateByKeys(
    table: string,
    keyColumns: KeyColumns,
    keys: readonly unknown[],
    set: Readonly<Record<string, unknown>>,
  ): Promise<number> {
    const keyColumn = single(keyColumns);
    columnsToSet(set);
    const resource = this.resource(table);
    this.updateOp(table, resource, Object.keys(set));
    const ids = await this.ids(table, resource, keyColumn, keys);
    return this.updateEach(
      table,
      resource.id,
      ids.map((key) => ({ key, set })),
    );
  }

  async updateEach(table: string, keyColumns: KeyColumns, updates: readonly RowUpdate[]): Promise<number> {
    const keyColumn = single(keyColumns);
    const resource = this.resource(table);
    const names = columnsOf(updates);
    const op = this.updateOp(table, resource, names);
    const pointers = names.map((n) => this.pointer(table, resource, n));
    let count = 0;
    for (const { key, set } of updates) {
      const body = buildBody(
        op.body,
        names.map((n, i) => [pointers[i]!, set[n]]),
      );
      for (const id of await this.ids(table, resource, keyColumn, [key])) {
        const path = op.path.replaceAll("{id}", encodeURIComponent(String(id)));
        const answer = await this.client.send({ method: op.method, template: op.path, path, body }, [404]);
        if (answer.status !== 404) count++;
      }
    }
    return count;
  }

  /** A processor's API finds records by a person, not by their age: time-based sweeps reach it through the person. */
  countWhere(table: string): Promise<number> {
    return Promise.reject(stewardError("STW_RETENTION_NO_CONDITIONS", { collection: table, kind: "http" }));
  }

  keysWhere(table: string): Promise<unknown[]> {
    return Promise.reject(stewardError("STW_RETENTION_NO_CONDITIONS", { collection: table, kind: "http" }));
  }

  deleteWhere(table: string): Promise<number> {
    return Promise.reject(stewardError("STW_RETENTION_NO_CONDITIONS", { collection: table, kind: "http" }));
  }

  /** Processors offer no listing worth its calls to discovery: nothing is sampled. */
  async sample(): Promise<Row[]> {
    return [];
  }

  /** No transactions at a vendor's API: `fn` runs on this connector, each call final (and idempotent). */
  transaction<T>(fn: (tx: Connector) => Promise<T>): Promise<T> {
    return fn(this);
  }

  /** fetch keeps no connection that needs closing. */
  async close(): Promise<void> {}

  private resource(table: string): ResourceSpec {
    const resource = this.spec.resources[table];
    if (!resource)
      throw stewardError("STW_PROCESSOR_UNKNOWN_RESOURCE", {
        vendor: this.spec.vendor,
        value: table,
        allowed: Object.keys(this.spec.resources),
      });
    return resource;
  }

  private pointer(table: string, resource: ResourceSpec, field: string): string {
    const pointer = resource.fields[field];
    if (pointer === undefined)
      throw stewardError("STW_PROCESSOR_UNKNOWN_FIELD", {
        vendor: this.spec.vendor,
        resource: table,
        value: field,
        allowed: Object.keys(resource.fields),
      });
    return pointer;
  }

  /** The spec's update operation, checked to allow every column in `names`. */
  private updateOp(table: string, resource: ResourceSpec, names: readonly string[]) {
    const op = resource.update ?? this.unsupported(table, resource, "update");
    for (const name of names)
      if (!op.fields.includes(name)) this.unsupported(table, resource, `update of ${name}`, op.fields);
    return op;
  }

  /** One pending find per distinct key, started only when the caller asks for it. */
  private *find(table: string, resource: ResourceSpec, field: string, keys: readonly unknown[]) {
    const op =
      resource.find[field] ??
      this.unsupported(
        table,
        resource,
        `find by ${field}`,
        Object.keys(resource.find).map((f) => `find by ${f}`),
      );
    const match = this.pointer(table, resource, field);
    for (const key of usable(keys)) yield findRecords(this.client, this.spec.vendor, op, key, match);
  }

  /** The ids of the records whose `field` holds one of `keys`: the keys themselves when `field` is the id. */
  private async ids(table: string, resource: ResourceSpec, field: string, keys: readonly unknown[]) {
    if (field === resource.id) return usable(keys);
    const idPointer = this.pointer(table, resource, resource.id);
    const ids = new Set<unknown>();
    for (const records of this.find(table, resource, field, keys))
      for (const record of await records) ids.add(valueAt(record, idPointer));
    return [...ids];
  }

  private unsupported(table: string, resource: ResourceSpec, operation: string, allowed?: readonly string[]): never {
    throw stewardError("STW_PROCESSOR_UNSUPPORTED", {
      vendor: this.spec.vendor,
      resource: table,
      operation,
      allowed: allowed ?? [
        ...Object.keys(resource.find).map((f) => `find by ${f}`),
        ...(resource.delete ? ["delete"] : []),
        ...(resource.update ? ["update"] : []),
      ],
    });
  }
}

/** An API resource has one id field (its spec says which): a key of several columns is a bug in the caller. */
function single(keyColumns: KeyColumns): string {
  if (typeof keyColumns === "string") return keyColumns;
  if (keyColumns.length === 1) return keyColumns[0]!;
  throw new RangeError(`an API resource is addressed by one field, not by ${keyColumns.join(", ")}`);
}
