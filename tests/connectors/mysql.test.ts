import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMysqlConnector, quoteMysql as q } from "../../src/connectors/mysql/index.ts";
import { ITEM_COUNT, ODD_KEY, ODD_TABLE, ODD_VALUE, runConformance } from "./conformance.case.ts";

const DATABASE = `stw_conn_my_${process.pid}_${Date.now()}`;
const URL = `mysql://root@127.0.0.1:3306/${DATABASE}`;

async function withConnection<T>(database: string | undefined, fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection({
    host: "127.0.0.1",
    port: 3306,
    user: "root",
    multipleStatements: true,
    ...(database ? { database } : {}),
  });
  try {
    return await fn(connection);
  } finally {
    await connection.end();
  }
}

const FIXTURE = `
SET FOREIGN_KEY_CHECKS = 0;
DROP TABLE IF EXISTS child, parent, item, event, ${q(ODD_TABLE)};
SET FOREIGN_KEY_CHECKS = 1;
CREATE TABLE parent (id int PRIMARY KEY, email varchar(100) NOT NULL UNIQUE, nickname varchar(50)) ENGINE = InnoDB;
CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL, note varchar(50),
  CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE = InnoDB;
CREATE TABLE item (id int PRIMARY KEY, label varchar(20) NOT NULL) ENGINE = InnoDB;
CREATE TABLE event (id int PRIMARY KEY, kind varchar(10) NOT NULL, flagged boolean NULL, at datetime(3) NOT NULL) ENGINE = InnoDB;
CREATE TABLE ${q(ODD_TABLE)} (${q(ODD_KEY)} int PRIMARY KEY, ${q(ODD_VALUE)} varchar(20)) ENGINE = InnoDB;
INSERT INTO parent SELECT seq, CONCAT('p', seq, '@example.test'), IF(seq < 5, CONCAT('n', seq), NULL) FROM seq_1_to_5;
INSERT INTO child SELECT seq, ((seq - 1) % 5) + 1, CONCAT('c', seq) FROM seq_1_to_10;
INSERT INTO item SELECT seq, CONCAT('item-', seq) FROM seq_1_to_${ITEM_COUNT};
INSERT INTO event SELECT seq, IF(seq % 2 = 1, 'a', 'b'), CASE WHEN seq % 5 = 0 THEN TRUE WHEN seq % 7 = 0 THEN NULL ELSE FALSE END, TIMESTAMP '2025-01-01 00:00:00' + INTERVAL seq DAY FROM seq_1_to_20;
INSERT INTO ${q(ODD_TABLE)} SELECT seq, CONCAT('v', seq) FROM seq_1_to_3;`;

beforeAll(() => withConnection(undefined, (c) => c.query(`CREATE DATABASE ${q(DATABASE)}`)));
afterAll(() => withConnection(undefined, (c) => c.query(`DROP DATABASE IF EXISTS ${q(DATABASE)}`)));

runConformance({
  name: "mysql (MariaDB)",
  connect: () => createMysqlConnector(URL),
  reset: () => withConnection(DATABASE, (c) => c.query(FIXTURE)).then(() => undefined),
  create: createMysqlConnector,
  unreachableUrl: "mysql://alice:s3cret@127.0.0.1:1/app",
});

describe("mysql connector specifics", () => {
  it("quotes an identifier by doubling its back quotes", () => {
    expect(q("we`ird")).toBe("`we``ird`");
    expect(() => q("a\0b")).toThrow(RangeError);
  });

  it("refuses a URL of another scheme with STW_DB_BAD_URL, password hidden", async () => {
    const error = await createMysqlConnector("postgres://bob:s3cret@127.0.0.1/app").catch((e: Error) => e);
    expect(error).toMatchObject({ code: "STW_DB_BAD_URL" });
    expect((error as Error).message).not.toContain("s3cret");
  });
});
