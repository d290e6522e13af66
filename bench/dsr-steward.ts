/**
 * Steward's side of the `dsr` benchmark: a batch erasure (one runErasure call with every learner's e-mail), the
 * per-subject way (one request per learner, every collection queried once per subject, as Fides runs requests), and
 * single-learner access requests.
 *
 * A batch erasure is also timed phase by phase — find rows, decide, write, prove — without touching the engine: the
 * stores handed to it wrap each connector and time every call (database time, round trip included), and the engine's
 * own events mark where finding ends. What is left of a phase once its database time is taken out is Node's own work.
 * The write phase starts with the first transaction, which may be a store deleted by key only that is written while
 * the others are still searched: it overlaps the search and the decisions.
 */
import { performance } from "node:perf_hooks";
import type { Connector } from "../src/connectors/connector.ts";
import { type EngineEvent, EventLog } from "../src/engine/events.ts";
import { runAccess, runErasure } from "../src/engine/run-request.ts";
import { Stores } from "../src/engine/stores.ts";
import { loadManifestDir } from "../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../src/manifest/types.ts";
import type { DemoPair } from "./dsr-databases.ts";

/** The datasets the benchmark's databases hold. */
const DATABASES = ["learning_app", "learning_analytics"];

/**
 * The reference deployment's manifest, cut down to the two databases: the external processors (reached by HTTP, with
 * no server here) are left out of both sides, so Steward and the hand-written script do the same work.
 */
export async function benchManifest(): Promise<Manifest> {
  const manifest = await loadManifestDir(new URL("../examples/learning-platform", import.meta.url).pathname);
  return { ...manifest, datasets: manifest.datasets.filter((d) => DATABASES.includes(d.fides_key)) };
}

const connectionsOf = (pair: DemoPair) => ({
  connections: { learning_app: pair.pgUrl, learning_analytics: pair.myUrl },
});

export interface Call {
  readonly method: string;
  readonly table: string;
  readonly start: number;
  readonly end: number;
}

/** Stores whose connectors record the start and end of every call (and of every batch a read streams). */
class TimedStores extends Stores {
  readonly calls: Call[] = [];

  override get(dataset: string): Promise<Connector> {
    return super.get(dataset).then((c) => this.wrap(c));
  }

  private wrap(c: Connector): Connector {
    const calls = this.calls;
    const timed =
      <A extends unknown[], R>(method: string, fn: (...a: A) => Promise<R>) =>
      async (...a: A): Promise<R> => {
        const start = performance.now();
        try {
          return await fn(...a);
        } finally {
          calls.push({ method, table: String(a[0] ?? ""), start, end: performance.now() });
        }
      };
    return {
      kind: c.kind,
      capabilities: c.capabilities,
      introspect: timed("introspect", () => c.introspect()),
      async *readByKeys(table, keyColumn, keys, columns, opts) {
        const it = c.readByKeys(table, keyColumn, keys, columns, opts)[Symbol.asyncIterator]();
        for (;;) {
          const start = performance.now();
          const next = await it.next();
          calls.push({ method: "readByKeys", table, start, end: performance.now() });
          if (next.done) return;
          yield next.value;
        }
      },
      deleteByKeys: timed("deleteByKeys", (t, k, keys) => c.deleteByKeys(t, k, keys)),
      updateByKeys: timed("updateByKeys", (t, k, keys, set) => c.updateByKeys(t, k, keys, set)),
      updateEach: timed("updateEach", (t, k, u) => c.updateEach(t, k, u)),
      sample: timed("sample", (t, cols, n) => c.sample(t, cols, n)),
      countWhere: timed("countWhere", (t, f) => c.countWhere(t, f)),
      keysWhere: timed("keysWhere", (t, k, f, p) => c.keysWhere(t, k, f, p)),
      deleteWhere: timed("deleteWhere", (t, f, n) => c.deleteWhere(t, f, n)),
      transaction: (fn, options) => {
        const start = performance.now();
        // Calls inside are timed one by one; the transaction itself only marks the write phase.
        return c
          .transaction((tx) => fn(this.wrap(tx)), options)
          .finally(() => {
            calls.push({ method: "transaction", table: "", start, end: performance.now() });
          });
      },
      close: () => c.close(),
    };
  }
}

/** Milliseconds of one phase: wall time, and the part of it spent waiting on the databases. */
export interface Phase {
  readonly wall_ms: number;
  readonly db_ms: number;
}

export interface BatchRun {
  readonly ms: number;
  /** Peak resident memory of the process during the run, in MiB. */
  readonly peak_rss_mb: number;
  readonly complete: boolean;
  readonly phases: Readonly<Record<"connect" | "find" | "decide" | "write" | "prove", Phase>>;
  readonly statements: number;
  /** Per dataset, the transactions it was written in (more than one: a store written by key only, split). */
  readonly transactions: Readonly<Record<string, number>>;
  /** The costliest kinds of call: phase, connector method and table, how many calls, their database time. */
  readonly top: readonly { readonly phase: string; readonly call: string; readonly n: number; readonly ms: number }[];
}

/**
 * One runErasure call with every learner's e-mail, on its own stores (connections opened inside the timing).
 * `batchSize` is the engine's keys per statement (its default when not given).
 */
export async function stewardBatch(
  manifest: Manifest,
  pair: DemoPair,
  emails: readonly string[],
  batchSize?: number,
): Promise<BatchRun> {
  const stores = new TimedStores(manifest, connectionsOf(pair));
  const marks: { at: number; event: EngineEvent }[] = [];
  const events = new EventLog((event) => marks.push({ at: performance.now(), event }));
  // Peak resident memory of this process while the erasure runs (the benchmark's own data is small beside it).
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const start = performance.now();
  const outcome = await runErasure(manifest, new Map([["email", [...emails]]]), stores, {
    events,
    ...(batchSize ? { batchSize } : {}),
  }).finally(() => {
    clearInterval(sampler);
    return stores.closeAll();
  });
  const end = performance.now();
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (outcome.failed) throw new Error(`Steward's erasure failed on ${outcome.failed.dataset}: ${outcome.failed.why}`);

  const statements = stores.calls.filter((c) => c.method !== "transaction");
  const txs = stores.calls.filter((c) => c.method === "transaction");
  const writeStart = Math.min(...txs.map((c) => c.start));
  const writeEnd = Math.max(...txs.map((c) => c.end));
  const firstRead = Math.min(...statements.filter((c) => c.method === "readByKeys").map((c) => c.start));
  // A store deleted by key only starts writing while the others are still searched, so the phases overlap: the
  // search ends with the last read before the proof; deciding ends when the last store opens its transaction.
  const findEnd = Math.max(
    ...marks.filter((m) => m.event.kind === "collection_read" && m.at < writeEnd).map((m) => m.at),
  );
  const decideEnd = Math.max(findEnd, ...txs.map((c) => c.start));
  const phase = (from: number, to: number): Phase => ({
    wall_ms: round(to - from),
    db_ms: round(statements.filter((c) => c.start >= from && c.end <= to).reduce((n, c) => n + (c.end - c.start), 0)),
  });
  const phaseOf = (c: Call): string =>
    c.start < firstRead
      ? "connect"
      : c.start >= writeEnd
        ? "prove"
        : c.method !== "readByKeys"
          ? "write"
          : c.start < findEnd
            ? "find"
            : "decide";
  const top = new Map<string, { phase: string; call: string; n: number; ms: number }>();
  for (const c of statements) {
    const id = `${phaseOf(c)} ${c.method} ${c.table}`;
    const entry = top.get(id) ?? { phase: phaseOf(c), call: `${c.method} ${c.table}`, n: 0, ms: 0 };
    entry.n++;
    entry.ms += c.end - c.start;
    top.set(id, entry);
  }
  return {
    ms: round(end - start),
    peak_rss_mb: Math.round(peakRss / 2 ** 20),
    complete: outcome.proof?.complete === true,
    phases: {
      connect: phase(start, firstRead),
      find: phase(firstRead, findEnd),
      decide: phase(findEnd, decideEnd),
      write: phase(writeStart, writeEnd),
      prove: phase(writeEnd, end),
    },
    statements: statements.length,
    transactions: Object.fromEntries(
      marks.flatMap(({ event: e }) => (e.kind === "store_committed" ? [[e.dataset, e.transactions ?? 1]] : [])),
    ),
    top: [...top.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 12)
      .map((e) => ({ ...e, ms: round(e.ms) })),
  };
}

/** One request per learner, one after the other, on shared stores (a service keeps its connections open). */
export async function stewardPerSubject(
  manifest: Manifest,
  pair: DemoPair,
  emails: readonly string[],
): Promise<{ ms: number; incomplete: number }> {
  const stores = new Stores(manifest, connectionsOf(pair));
  let incomplete = 0;
  const start = performance.now();
  try {
    for (const email of emails) {
      const outcome = await runErasure(manifest, new Map([["email", [email]]]), stores);
      if (outcome.failed || outcome.proof?.complete !== true) incomplete++;
    }
  } finally {
    await stores.closeAll();
  }
  return { ms: round(performance.now() - start), incomplete };
}

/**
 * Latency of single-learner access requests on shared stores, each interleaved with the reference: the same
 * learner's rows read by `reference` (hand-written SQL). Returns both series, in milliseconds.
 */
export async function accessLatencies(
  manifest: Manifest,
  pair: DemoPair,
  emails: readonly string[],
  warmup: readonly string[],
  reference: (email: string) => Promise<void>,
): Promise<{ steward: number[]; reference: number[] }> {
  const stores = new Stores(manifest, connectionsOf(pair));
  const steward: number[] = [];
  const refs: number[] = [];
  try {
    for (const email of warmup) {
      await runAccess(manifest, new Map([["email", [email]]]), stores);
      await reference(email);
    }
    for (const [i, email] of emails.entries()) {
      // Alternate which side goes first, so that neither always finds the other's pages in the cache.
      const order = i % 2 === 0 ? ["steward", "reference"] : ["reference", "steward"];
      for (const side of order) {
        const t = performance.now();
        if (side === "steward") await runAccess(manifest, new Map([["email", [email]]]), stores);
        else await reference(email);
        (side === "steward" ? steward : refs).push(performance.now() - t);
      }
    }
  } finally {
    await stores.closeAll();
  }
  return { steward, reference: refs };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
