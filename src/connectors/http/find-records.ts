/**
 * Runs one find operation of a spec for one value, following the vendor's pagination to the last page. Processors
 * have no batch lookup, so the connector calls this once per value.
 *
 * A record is kept only when its own field equals the value exactly: a vendor's search that matches loosely (a
 * prefix, another letter case) must never make Steward hand out, or erase, someone else's data. Records the spec's
 * `skip_when` describes (a deletion the vendor has accepted but not finished) count as gone.
 */
import { stewardError } from "../../errors.ts";
import type { HttpClient } from "./http-client.ts";
import type { FindSpec, PaginationSpec } from "./http-spec.ts";
import { matchesAll, valueAt } from "./json-pointer.ts";

/** `matchPointer`: where a record holds the field looked up. */
export async function findRecords(
  client: HttpClient,
  vendor: string,
  find: FindSpec,
  value: unknown,
  matchPointer: string,
): Promise<unknown[]> {
  const text = String(value);
  const path = find.path.replaceAll("{value}", encodeURIComponent(text));
  const fixed = Object.entries(find.query).map(([k, v]) => [k, v.replaceAll("{value}", text)] as [string, string]);
  const gone = (record: unknown) => Object.keys(find.skip_when).length > 0 && matchesAll(record, find.skip_when);
  const found: unknown[] = [];
  const cursors = new Set<string>();
  const bad = (detail: string) =>
    stewardError("STW_PROCESSOR_BAD_RESPONSE", { vendor, method: find.method, path: find.path, detail });
  let cursor: string | undefined;
  for (;;) {
    const query = new URLSearchParams(fixed);
    if (cursor !== undefined && find.pagination) query.set(find.pagination.param, cursor);
    const call = { method: find.method, template: find.path, path, query };
    const answer = await client.send(call, find.not_found === "empty" ? [404] : []);
    if (answer.status === 404) return found;
    const page = valueAt(answer.body, find.records);
    const records = Array.isArray(page) ? page : page !== null && typeof page === "object" ? [page] : undefined;
    if (!records) throw bad(`no records at "${find.records}"`);
    for (const r of records) if (!gone(r) && String(valueAt(r, matchPointer)) === text) found.push(r);
    cursor = find.pagination && nextCursor(find.pagination, answer.body, records);
    if (cursor === undefined) return found;
    if (cursors.has(cursor)) throw bad("the same page cursor came back twice; pagination would never end");
    cursors.add(cursor);
  }
}

function nextCursor(pagination: PaginationSpec, body: unknown, records: readonly unknown[]): string | undefined {
  if (pagination.style === "cursor") {
    if (valueAt(body, pagination.has_more) !== true || records.length === 0) return undefined;
    const last = valueAt(records.at(-1), pagination.cursor);
    return last === undefined || last === null ? undefined : String(last);
  }
  const next = valueAt(body, pagination.next);
  return next === undefined || next === null || next === "" ? undefined : String(next);
}
