/**
 * The request service over a small deployment of two SQLite stores (accounts and tickets, each holding people by
 * e-mail), with an embedded in-memory store (or a scratch PostgreSQL database), a real SMTP server and a clock the test moves. Light enough to start per
 * test file; a store is "down" while its file is moved away (`takeDown`) and back once it is returned (`bringBack`).
 */
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { createMailer } from "../../src/mail/mailer.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import type { RequestRow } from "../../src/requests/move-request.ts";
import { openRequestService, type RequestService } from "../../src/requests/request-service.ts";
import type { RequestServiceConfig } from "../../src/requests/service-context.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { scratchDatabases } from "../scratch-databases.ts";
import { codeFor, type SmtpSink, startSmtpSink } from "./smtp-sink.ts";

const DATASETS = `dataset:
  - fides_key: accounts
    collections:
      - name: account
        fields:
          - { name: id, data_categories: [user.unique_id], fides_meta: { primary_key: true } }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
          - { name: name, data_categories: [user.name] }
  - fides_key: tickets
    collections:
      - name: ticket
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
          - { name: body, data_categories: [user.content] }
`;

const RIGHTS = `rights:
  - jurisdiction: eea
    name: European Economic Area
    law: General Data Protection Regulation
    regions: [EEA]
    requests: [access, erasure]
    deadline: 1 month
    extension: 2 months
    verification: email
    complaint_authorities: [Autoriteit Persoonsgegevens]
`;

export interface SqliteService {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly store: Store;
  readonly service: RequestService;
  readonly smtp: SmtpSink;
  /** The scratch PostgreSQL store's URL (backend "postgres"), for a CLI run against it. */
  readonly storeUrl: string | undefined;
  /** What the worker's sweep reported as failed (`onSweepError`). */
  readonly sweepErrors: unknown[];
  /** The service's clock: the real time plus what `advance` added. */
  now(): Date;
  advance(ms: number): void;
  /** Adds a person to both stores (`id` is theirs in each). */
  addPerson(id: number, email: string, name: string): void;
  /** Every row of a store's table, straight from its file. */
  rows(store: "accounts" | "tickets"): Record<string, unknown>[];
  takeDown(store: "accounts" | "tickets"): Promise<void>;
  bringBack(store: "accounts" | "tickets"): Promise<void>;
  /** Submits a request for `email` and confirms it with the code read from the SMTP server; returns its id. */
  submitVerified(type: "access" | "erasure", email: string): Promise<string>;
  /** Polls the request until `done(row)` holds (the worker runs in the background). */
  waitFor(id: string, done: (row: RequestRow) => boolean, timeoutMs?: number): Promise<RequestRow>;
  close(): Promise<void>;
}

export async function startSqliteService(
  options: {
    config?: Partial<RequestServiceConfig>;
    sweepSeconds?: number;
    worker?: boolean;
    /** Steward's own store: embedded in memory (default), or a scratch database on the local PostgreSQL. */
    backend?: "pglite" | "postgres";
  } = {},
): Promise<SqliteService> {
  const dir = await mkdtemp(join(tmpdir(), "stw-svc-"));
  await writeFile(join(dir, "datasets.yml"), DATASETS);
  await writeFile(join(dir, "rights.yml"), RIGHTS);
  const file = (s: "accounts" | "tickets") => join(dir, `${s}.db`);
  for (const [s, sql] of [
    ["accounts", "CREATE TABLE account (id int PRIMARY KEY, email text, name text)"],
    ["tickets", "CREATE TABLE ticket (id int PRIMARY KEY, email text, body text)"],
  ] as const) {
    const db = new Database(file(s));
    db.exec(sql);
    db.close();
  }
  const manifest = await loadManifestDir(dir);
  const scratch = options.backend === "postgres" ? scratchDatabases("svc") : undefined;
  if (scratch) await scratch.createPg();
  const store = await openStore(scratch ? { databaseUrl: scratch.pgUrl } : { inMemory: true });
  const smtp = await startSmtpSink();
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const service = await openRequestService({
    store,
    manifest,
    secret: { source: "test", bytes: Buffer.alloc(32, 9) },
    mailer: createMailer({ smtpUrl: smtp.url, from: "privacy@example.org" }),
    engine: { connections: { accounts: `sqlite://${file("accounts")}`, tickets: `sqlite://${file("tickets")}` } },
    config: { publicUrl: "https://privacy.example.org", ...options.config },
    jobs: { pollSeconds: 0.5, maintenanceSeconds: 5, schedule: false },
    now,
  });
  const sweepErrors: unknown[] = [];
  if (options.worker !== false)
    await service.startWorker({
      sweepSeconds: options.sweepSeconds ?? 3600,
      retention: false,
      onSweepError: (error) => sweepErrors.push(error),
    });
  const self: SqliteService = {
    dir,
    manifest,
    store,
    service,
    smtp,
    storeUrl: scratch?.pgUrl,
    sweepErrors,
    now,
    advance(ms) {
      offset += ms;
    },
    addPerson(id, email, name) {
      const a = new Database(file("accounts"));
      a.prepare("INSERT INTO account VALUES (?, ?, ?)").run(id, email, name);
      a.close();
      const t = new Database(file("tickets"));
      t.prepare("INSERT INTO ticket VALUES (?, ?, ?)").run(id, email, `${name} cannot sign in`);
      t.close();
    },
    rows(s) {
      const db = new Database(file(s), { readonly: true });
      try {
        return db.prepare(`SELECT * FROM ${s === "accounts" ? "account" : "ticket"} ORDER BY id`).all() as Record<
          string,
          unknown
        >[];
      } finally {
        db.close();
      }
    },
    takeDown: (s) => rename(file(s), `${file(s)}.away`),
    bringBack: (s) => rename(`${file(s)}.away`, file(s)),
    async submitVerified(type, email) {
      const since = smtp.mails.length;
      const { row } = await service.submit({ type, identity: { email }, jurisdiction: "eea" });
      await service.verify(row.id, await codeFor(smtp, email, since));
      return row.id;
    },
    async waitFor(id, done, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const row = await service.get(id);
        if (done(row)) return row;
        if (Date.now() > deadline) throw new Error(`request ${id} still ${row.status} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await service.close();
      await smtp.close();
      await store.close();
      await scratch?.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return self;
}
