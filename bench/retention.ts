/**
 * `npm run bench -- retention [--rows N]`: a retention sweep of N expired rows (default 10,000,000: half clickstream
 * events, half e-mail engagement events, in MariaDB as the reference deployment holds them), plus 10% rows not yet
 * due, by `runRetention` (what `steward retention run` and the scheduler call) against a hand-written batched loop
 * (`DELETE … WHERE occurred_at < ? LIMIT 10000` until a batch comes back short) with the same end state, in one run.
 *
 * Each contender gets its own freshly loaded copy of the same rows (a sweep changes them), loaded just before its
 * sweep so that both start from the same cache state; the order alternates between rounds. The end states are
 * compared (rows left, their ids' sum). Steward's peak memory is sampled during its sweep (RSS, every 50 ms).
 * Goal: Steward ≤ 1.25× the hand-written loop.
 */
import { performance } from "node:perf_hooks";
import mysql from "mysql2/promise";
import { Stores } from "../src/engine/stores.ts";
import { loadManifestDir } from "../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../src/manifest/types.ts";
import { cutoffOf } from "../src/plan/retention-plan.ts";
import { runRetention } from "../src/retention/run-retention.ts";
import type { BenchResult } from "./run.ts";

const SERVER = process.env["DSR_MYSQL_SERVER"] ?? "mysql://root@127.0.0.1:3306";
const EXAMPLE = new URL("../examples/learning-platform", import.meta.url).pathname;
const NOW = new Date("2026-12-01T00:00:00Z");
const BATCH = 10_000;
const TABLES = ["clickstream_events", "email_engagement_events"] as const;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  return v && /^\d+$/.test(v) ? Number(v) : fallback;
}

const DDL: Record<(typeof TABLES)[number], string> = {
  clickstream_events: `CREATE TABLE clickstream_events (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, user_id BIGINT UNSIGNED NULL, device_id VARCHAR(64) NOT NULL,
    ip VARCHAR(45) NOT NULL, url VARCHAR(512) NOT NULL, referrer VARCHAR(512) NULL, user_agent VARCHAR(255) NOT NULL,
    occurred_at DATETIME(3) NOT NULL, PRIMARY KEY (id)
  ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci`,
  email_engagement_events: `CREATE TABLE email_engagement_events (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, user_id BIGINT UNSIGNED NOT NULL, campaign_key VARCHAR(64) NOT NULL,
    event_type ENUM('delivered', 'open', 'click') NOT NULL, link_url VARCHAR(512) NULL, ip VARCHAR(45) NULL,
    user_agent VARCHAR(255) NULL, occurred_at DATETIME(3) NOT NULL, PRIMARY KEY (id)
  ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci`,
};

/** The secondary indexes of the reference DDL (examples/learning-platform/ddl/mariadb.sql), built after the load. */
const INDEXES: Record<(typeof TABLES)[number], string> = {
  clickstream_events: "ADD INDEX (user_id), ADD INDEX (device_id), ADD INDEX (occurred_at)",
  email_engagement_events: "ADD INDEX (user_id), ADD INDEX (occurred_at)",
};

/** Rows `from`..`to` of a table: the first `expired` are older than the cutoff, the rest younger. */
function insertSql(table: (typeof TABLES)[number], from: number, to: number, expired: number, cutoff: string): string {
  // Expired rows spread over the year before the cutoff; fresh ones over the 13 months after it.
  const at = `IF(seq <= ${expired}, TIMESTAMP '${cutoff}' - INTERVAL (1 + seq % 31536000) SECOND, TIMESTAMP '${cutoff}' + INTERVAL (1 + seq % 31536000) SECOND)`;
  const src = `FROM seq_${from}_to_${to}`;
  if (table === "clickstream_events")
    return `INSERT INTO clickstream_events (id, user_id, device_id, ip, url, referrer, user_agent, occurred_at)
      SELECT seq, 1 + seq % 1000000, CONCAT('dev-', seq % 2000000), CONCAT('10.', seq % 250, '.', seq % 200, '.1'),
        CONCAT('https://learn.example/courses/', seq % 5000, '/lecture/', seq % 40), NULL,
        'Mozilla/5.0 (X11; Linux x86_64) Bench/1.0', ${at} ${src}`;
  return `INSERT INTO email_engagement_events (id, user_id, campaign_key, event_type, link_url, ip, user_agent, occurred_at)
    SELECT seq, 1 + seq % 1000000, CONCAT('campaign-', seq % 300), ELT(1 + seq % 3, 'delivered', 'open', 'click'),
      IF(seq % 3 = 2, CONCAT('https://learn.example/c/', seq % 900), NULL), NULL, NULL, ${at} ${src}`;
}

async function load(db: mysql.Connection, name: string, perTable: number, expiredPerTable: number, cutoff: string) {
  await db.query(`DROP DATABASE IF EXISTS ${name}`);
  await db.query(`CREATE DATABASE ${name}`);
  await db.query(`USE ${name}`);
  for (const table of TABLES) {
    await db.query(DDL[table]);
    for (let from = 1; from <= perTable; from += 1_000_000) {
      const to = Math.min(perTable, from + 999_999);
      await db.query(insertSql(table, from, to, expiredPerTable, cutoff));
    }
    await db.query(`ALTER TABLE ${table} ${INDEXES[table]}`);
  }
}

async function endState(db: mysql.Connection, name: string): Promise<string> {
  const out: string[] = [];
  for (const table of TABLES) {
    const [rows] = await db.query(`SELECT COUNT(*) AS n, COALESCE(SUM(id), 0) AS s FROM ${name}.${table}`);
    const r = (rows as { n: number; s: string }[])[0]!;
    out.push(`${table}:${r.n}:${r.s}`);
  }
  return out.join(" ");
}

async function handWritten(db: mysql.Connection, name: string, cutoff: string): Promise<number> {
  let deleted = 0;
  for (const table of TABLES)
    for (let n = BATCH; n === BATCH; ) {
      const [result] = await db.query(`DELETE FROM ${name}.${table} WHERE occurred_at < ? LIMIT ${BATCH}`, [cutoff]);
      n = (result as mysql.ResultSetHeader).affectedRows;
      deleted += n;
    }
  return deleted;
}

async function steward(
  manifest: Manifest,
  name: string,
): Promise<{ deleted: number; complete: boolean; rssPeakMib: number }> {
  const stores = new Stores(manifest, { connections: { learning_analytics: `${SERVER}/${name}` } });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    const outcomes = await runRetention(manifest, stores, {
      now: NOW,
      rules: ["clickstream", "email_engagement"],
      batchSize: BATCH,
    });
    const failed = outcomes.find((o) => o.failed);
    if (failed) throw new Error(`${failed.rule}: ${failed.failed!.message}`);
    return {
      deleted: outcomes.reduce((s, o) => s + Object.values(o.collections).reduce((t, c) => t + c.deleted, 0), 0),
      complete: outcomes.every((o) => o.proof.complete),
      rssPeakMib: Math.round(peak / 2 ** 20),
    };
  } finally {
    clearInterval(sampler);
    await stores.closeAll();
  }
}

export async function run(): Promise<BenchResult> {
  const expired = option("--rows", 10_000_000);
  const rounds = option("--rounds", 1);
  const expiredPerTable = Math.floor(expired / 2);
  const perTable = expiredPerTable + Math.floor(expiredPerTable / 10);
  const cutoff = cutoffOf("P13M", NOW).toISOString().replace("T", " ").replace("Z", "");
  const db = await mysql.createConnection({ uri: SERVER, multipleStatements: false, supportBigNumbers: true });
  const name = `bench_retention_${process.pid}`;
  // Loaded once, outside the timing: the comparison is of the sweeps.
  const manifest = await loadManifestDir(EXAMPLE);
  const perRound: Record<string, number | string | boolean>[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (["hand", "steward"] as const) : (["steward", "hand"] as const);
      const times: Record<string, number> = {};
      const states: Record<string, string> = {};
      let stewardFigures: Awaited<ReturnType<typeof steward>> | undefined;
      for (const who of order) {
        const loadStart = performance.now();
        await load(db, name, perTable, expiredPerTable, cutoff);
        process.stderr.write(
          `  loaded ${perTable * 2} rows in ${((performance.now() - loadStart) / 1000).toFixed(0)} s\n`,
        );
        const start = performance.now();
        if (who === "hand") {
          const n = await handWritten(db, name, cutoff);
          if (n !== expiredPerTable * 2)
            throw new Error(`the hand-written loop deleted ${n}, not ${expiredPerTable * 2}`);
        } else {
          stewardFigures = await steward(manifest, name);
          if (stewardFigures.deleted !== expiredPerTable * 2)
            throw new Error(`Steward deleted ${stewardFigures.deleted}, not ${expiredPerTable * 2}`);
        }
        times[who] = (performance.now() - start) / 1000;
        states[who] = await endState(db, name);
        process.stderr.write(`  ${who}: ${times[who]!.toFixed(1)} s\n`);
      }
      if (states["hand"] !== states["steward"])
        throw new Error(`end states differ: hand ${states["hand"]}, steward ${states["steward"]}`);
      perRound.push({
        round: round + 1,
        first: order[0],
        hand_s: Number(times["hand"]!.toFixed(2)),
        steward_s: Number(times["steward"]!.toFixed(2)),
        ratio: Number((times["steward"]! / times["hand"]!).toFixed(3)),
        steward_rss_peak_mib: stewardFigures!.rssPeakMib,
        proof_complete: stewardFigures!.complete,
        end_state: states["steward"]!,
      });
    }
  } finally {
    await db.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => {});
    await db.end();
  }
  const ratios = perRound.map((r) => r["ratio"] as number).sort((a, b) => a - b);
  const median = ratios[Math.floor(ratios.length / 2)]!;
  return {
    name: "retention",
    figures: {
      expired_rows: expiredPerTable * 2,
      fresh_rows: (perTable - expiredPerTable) * 2,
      rounds,
      ratio_median: median,
      goal: "≤ 1.25",
      steward_rss_peak_mib: Math.max(...perRound.map((r) => r["steward_rss_peak_mib"] as number)),
    },
    notes: `Steward's retention sweep (runRetention: rules clickstream + email_engagement, batches of ${BATCH}) against a hand-written batched DELETE … LIMIT loop on MariaDB, same rows and same end state; ratio = Steward time / hand-written time (median of rounds).`,
    details: { rounds: perRound, batch: BATCH, cutoff },
  };
}
