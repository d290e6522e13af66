/**
 * A retention sweep's restricted erasure is ordered by the live schema too, as an erasure request is. On PostgreSQL:
 * a period rule deletes old `tickets`; their `replies` and `attachments` follow (declared references). An attachment
 * also names a reply through a real foreign key the manifest does not declare, so the replies can only go after the
 * attachments — an order the manifest alone does not give (it lists replies first).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { runRetention } from "../../src/retention/run-retention.ts";
import { scratchDatabases } from "../scratch-databases.ts";
import { withStores } from "../with-stores.ts";

const scratch = scratchDatabases("retention_order");
let dir: string;
let manifest: Manifest;

/** A collection of rows that hang off a ticket (a declared reference), deleted with it, and its other fields. */
const ofTicket = (name: string, fields: readonly string[]) => `      - name: ${name}
        erasure: { action: delete }
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - name: ticket_id
            data_categories: [system.operations]
            fides_meta: { references: [{ dataset: support, field: tickets.id, direction: from }] }
${fields.map((f) => `          - ${f}\n`).join("")}`;

const MANIFEST = `dataset:
  - fides_key: support
    collections:
      - name: tickets
        erasure: { action: delete }
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: opened_at, data_categories: [system.operations] }
          - { name: subject, data_categories: [user.content] }
${ofTicket("replies", ["{ name: body, data_categories: [user.content] }"])}${ofTicket("attachments", [
  "{ name: reply_id, data_categories: [system.operations] }",
  "{ name: file_name, data_categories: [user.content] }",
])}retention:
  - key: old_tickets
    description: Support tickets are deleted a year after they were opened.
    reason: Follow-up questions come within a year.
    data_categories: [user.content]
    collections: [support.tickets]
    period: P1Y
    from: opened_at
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stw-retention-order-"));
  await writeFile(join(dir, "support.yml"), MANIFEST);
  manifest = await loadManifestDir(dir);
  await scratch.createPg([
    `CREATE TABLE tickets (id int PRIMARY KEY, opened_at timestamptz NOT NULL, subject text);
    CREATE TABLE replies (id int PRIMARY KEY, ticket_id int NOT NULL REFERENCES tickets, body text);
    CREATE TABLE attachments (id int PRIMARY KEY, ticket_id int NOT NULL REFERENCES tickets,
      reply_id int REFERENCES replies, file_name text);
    INSERT INTO tickets VALUES (1, '2023-01-10', 'old'), (2, '2025-06-01', 'recent');
    INSERT INTO replies VALUES (10, 1, 'old reply'), (20, 2, 'recent reply');
    INSERT INTO attachments VALUES (100, 1, 10, 'old.png'), (200, 2, 20, 'recent.png');`,
  ]);
});

afterAll(async () => {
  await scratch.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("a retention sweep on a schema with a foreign key the manifest does not declare", () => {
  it("deletes the due rows in the order the database's keys need", async () => {
    const [outcome] = await withStores(manifest, { support: scratch.pgUrl }, (stores) =>
      runRetention(manifest, stores, { now: new Date("2025-06-30T12:00:00Z") }),
    );
    expect(outcome?.failed).toBeUndefined();
    expect(outcome?.proof).toEqual({ complete: true, residual: 0 });
    const c = await scratch.pg();
    try {
      const ids = async (table: string) =>
        (await c.query(`SELECT id FROM ${table} ORDER BY id`)).rows.map((r: { id: number }) => r.id);
      expect([await ids("tickets"), await ids("replies"), await ids("attachments")]).toEqual([[2], [20], [200]]);
    } finally {
      await c.end();
    }
  });

  it("reports a batch the database refuses once, in the engine's own words", async () => {
    await scratch.pg().then(async (c) => {
      await c.query(`INSERT INTO tickets VALUES (3, '2023-02-01', 'old, locked');
        INSERT INTO attachments VALUES (300, 3, NULL, 'locked.png');
        CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
        CREATE TRIGGER refuse BEFORE DELETE ON attachments FOR EACH ROW EXECUTE FUNCTION refuse();`);
      await c.end();
    });
    const [outcome] = await withStores(manifest, { support: scratch.pgUrl }, (stores) =>
      runRetention(manifest, stores, { now: new Date("2025-06-30T12:00:00Z") }),
    );
    expect(outcome?.failed?.code).toBe("STW_ENGINE_WRITE_FAILED");
    const message = outcome!.failed!.message;
    expect(message).toMatch(/^writing support\.attachments failed, .*rolled back.*refused by the test/s);
    // Said once: not the engine's error wrapped in the same words again.
    expect(message).not.toMatch(/STW_ENGINE_WRITE_FAILED/);
    expect(message.match(/rolled back/g)).toHaveLength(1);
  });
});
