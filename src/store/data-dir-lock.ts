/**
 * One process at a time per embedded store. PGlite has no lock of its own: two processes (say `npm start` twice)
 * opening one data folder would both write to it and corrupt it. So the folder gets a lock file holding the owner's
 * pid, created atomically; a lock whose process no longer runs (a crash, `kill -9`) is taken over.
 */
import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { stewardError } from "../errors.ts";

export interface DataDirLock {
  release(): Promise<void>;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as { code?: string }).code === "EPERM";
  }
}

/**
 * Takes the lock of Steward's data folder `dir` (the one given as `--data-dir`; PGlite's files sit below it).
 *
 * @throws STW_STORE_LOCKED when a running process holds it.
 */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const path = join(dir, "steward.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
      const pid = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
        throw stewardError("STW_STORE_LOCKED", { dir, pid });
      }
      await rm(path, { force: true }); // stale: its owner is gone
    }
  }
  throw stewardError("STW_STORE_LOCKED", { dir, pid: 0 });
}
