import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendAuditEvent } from "../../src/audit/append-audit-event.ts";
import { isStewardError } from "../../src/errors.ts";
import { SUPPORTED_SCHEMA_VERSION } from "../../src/store/migrate-store.ts";
import { openStore, withStore } from "../../src/store/open-store.ts";
import { pgliteBackend } from "./backends.ts";
import { runStoreCases } from "./store.case.ts";

runStoreCases({ backend: pgliteBackend });

describe("store on pglite, in memory", () => {
  it("opens, migrates and works without touching the disk", async () => {
    await withStore({ inMemory: true }, async (store) => {
      expect(store.backend).toBe("pglite");
      expect(store.target).toBe("memory (PGlite)");
      expect(store.schemaVersion).toBe(SUPPORTED_SCHEMA_VERSION);
      expect(await appendAuditEvent(store.db, { actor: "system", kind: "test" })).toBe(1);
    });
  });
});

describe("store on pglite, one process at a time", () => {
  it("refuses a second opening of the same data folder with STW_STORE_LOCKED until the first closes", async () => {
    const { options, dispose } = await pgliteBackend.fresh();
    try {
      const first = await openStore(options);
      const second = await openStore(options).catch((error: unknown) => error);
      expect(isStewardError(second) && second.code).toBe("STW_STORE_LOCKED");
      expect((second as Error).message).toContain(`process ${process.pid}`);
      await first.close();
      await withStore(options, async (store) => expect(store.schemaVersion).toBe(SUPPORTED_SCHEMA_VERSION));
    } finally {
      await dispose();
    }
  });

  it("takes over a lock left by a process that no longer runs", async () => {
    const { options, dispose } = await pgliteBackend.fresh();
    try {
      // pid 2^22 + 1 is above Linux's pid_max default, so no process has it.
      await writeFile(join(String(options.dataDir), "steward.lock"), String(2 ** 22 + 1));
      await withStore(options, async (store) => expect(store.schemaVersion).toBe(SUPPORTED_SCHEMA_VERSION));
    } finally {
      await dispose();
    }
  });
});
