/**
 * `COPY … FROM STDIN` into a table of the store, on the very connection a Kysely query runs on — inside the caller's
 * transaction when `db` is one, so the rows exist exactly when the rest of the transaction does. COPY is PostgreSQL's
 * fastest way in: no statement to parse or plan per batch, no parameters, one stream of text.
 *
 * Kysely does not hand out the connection of a transaction, so the request travels as a query: `copyRows` registers
 * the job and sends `COPY_SENTINEL` with the job's id through `db`; the store's connections (`StoreClient` on
 * PostgreSQL, the PGlite pool's client) recognise that exact text and run the COPY instead — with pg-copy-streams on
 * PostgreSQL, from a blob (`/dev/blob`) on PGlite. A connection that does not know the sentinel would answer the
 * plain `select` it also is, and `copyRows` then fails instead of losing the rows.
 *
 * Rows are read lazily: on PostgreSQL they are sent in chunks as they are produced, so the server ingests one chunk
 * while this process computes the next (a hash chain, a seal) — the two run on different cores.
 *
 * @example
 *   await db.transaction().execute((trx) => copyRows(trx, "t", ["a", "b"], [copyLine(["1", null])]));
 */

import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { setImmediate as nextTurn } from "node:timers/promises";
import { CompiledQuery, type Kysely } from "kysely";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

export type CopyValue = string | null;

interface CopyJob {
  readonly statement: string;
  /** Lines in COPY's text format, each ending in a newline (`copyLine`). */
  readonly lines: Iterable<string>;
}

/** The text a store connection takes as "run the registered COPY job `$1`". Also a valid query on its own. */
export const COPY_SENTINEL = "select $1::text as steward_copy_job /* steward: copy rows */";

const jobs = new Map<string, CopyJob>();

/** Bytes gathered before a chunk goes to the server (PostgreSQL). */
const CHUNK = 64 * 1024;

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One value in COPY's text format: `\N` for null, and backslash, tab, newline and carriage return escaped. */
export function copyText(value: CopyValue): string {
  if (value === null) return "\\N";
  return SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c) : value;
}

/** One row in COPY's text format: the values (one per column) escaped, tab-separated, with its newline. */
export const copyLine = (row: readonly CopyValue[]): string => `${row.map(copyText).join("\t")}\n`;

/**
 * Copies rows into `table`, one line each (`copyLine`, or — on a hot path — the same text built with `copyText` around
 * every value that is not already known to be plain, such as a hex hash or a uuid). Returns the number of rows
 * written. `table` and `columns` are identifiers written by the caller, never input.
 */
export async function copyRows<DB>(
  db: Kysely<DB>,
  table: string,
  columns: readonly string[],
  lines: Iterable<string>,
): Promise<number> {
  const id = randomUUID();
  const quoted = columns.map((c) => `"${c}"`).join(", ");
  jobs.set(id, { statement: `copy "${table}" (${quoted}) from stdin`, lines });
  try {
    const result = await db.executeQuery<{ steward_copied?: number }>(CompiledQuery.raw(COPY_SENTINEL, [id]));
    const copied = result.rows[0]?.steward_copied;
    if (typeof copied !== "number") throw new Error("this connection does not take COPY jobs (not a store connection)");
    return copied;
  } finally {
    jobs.delete(id);
  }
}

/** The job a connection was asked to run, or undefined when `text` is not the sentinel. */
export function takeCopyJob(text: unknown, values: unknown): CopyJob | undefined {
  if (text !== COPY_SENTINEL || !Array.isArray(values)) return undefined;
  const job = jobs.get(String(values[0]));
  jobs.delete(String(values[0]));
  return job;
}

/** The answer a connection gives for a job done: what `copyRows` reads. */
export const copied = (count: number) => ({ command: "COPY", rowCount: count, rows: [{ steward_copied: count }] });

/** Runs a job on a PostgreSQL client (its own `query`, before any interception), streaming the rows. */
export async function copyOnClient(query: pg.Client["query"], job: CopyJob): Promise<number> {
  const stream = (query as (s: unknown) => ReturnType<typeof copyFrom>)(copyFrom(job.statement));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  // A failure on the server ends the wait for a drain too.
  finished.catch(() => {});
  try {
    let chunk = "";
    for (const line of job.lines) {
      chunk += line;
      if (chunk.length < CHUNK) continue;
      const ok = stream.write(chunk);
      chunk = "";
      // Let the socket work (and the server's answer arrive) while the next rows are produced.
      await Promise.race([ok ? nextTurn() : once(stream, "drain"), finished]);
    }
    stream.end(chunk);
  } catch (error) {
    // Rows that cannot be produced abort the COPY (CopyFail): nothing of it is written.
    stream.destroy(error as Error);
    await finished.catch(() => {});
    throw error;
  }
  await finished;
  return stream.rowCount;
}

/** The whole job as one text, for PGlite's `COPY … FROM '/dev/blob'`. */
export function copyBlob(job: CopyJob): { statement: string; blob: Blob; count: number } {
  const parts: string[] = [];
  for (const line of job.lines) parts.push(line);
  return {
    statement: job.statement.replace(/from stdin$/, "from '/dev/blob'"),
    blob: new Blob(parts),
    count: parts.length,
  };
}
