/**
 * `steward worker [DIR]` — a worker process: executes requests and sends their mails from the jobs on the store.
 * Run any number of them against one PostgreSQL (STEWARD_DATABASE_URL); a killed worker's job is taken over when its
 * lease runs out (STEWARD_JOB_LEASE_SECONDS, default 600). The embedded store's server runs its own worker.
 */
import type { Command } from "commander";
import { stewardError } from "../../errors.ts";
import { loadManifestDir } from "../../fs/load-manifest-dir.ts";
import { openRequestService } from "../../requests/request-service.ts";
import { openStore } from "../../store/open-store.ts";
import { DEFAULT_DATA_DIR } from "../../store/store-options.ts";
import { EXIT, printError, runAction } from "../run-action.ts";

export function register(program: Command): void {
  program
    .command("worker")
    .description("Execute requests and send their mails from the job queue (several may run against one PostgreSQL).")
    .argument("[dir]", "manifest folder", ".")
    .option("--concurrency <n>", "requests executed at the same time", "1")
    .option("--data-dir <dir>", "folder of the embedded store and the secret (default .steward)")
    .option(
      "--no-retention",
      "leave the retention rules' scheduled sweeps to other workers (or `steward retention run`)",
    )
    .action(
      runAction(async (dir: string, o: { concurrency: string; dataDir?: string; retention: boolean }) => {
        if (!/^[1-9]\d?$/.test(o.concurrency))
          throw stewardError("STW_CLI_BAD_OPTION", {
            option: "--concurrency",
            value: o.concurrency,
            allowed: ["1…99"],
          });
        const manifest = await loadManifestDir(dir);
        // Each job in flight uses one store connection at a time, and the queue, the linker and the sweeps one each
        // now and then: the pool grows with the concurrency, so that workers leave PostgreSQL's connections
        // (`max_connections`, 100 by default) to the reference databases' pools each job holds.
        const concurrency = Number(o.concurrency);
        const store = await openStore({
          ...(o.dataDir === undefined ? {} : { dataDir: o.dataDir }),
          poolSize: 2 * concurrency + 2,
        });
        const service = await openRequestService({ store, manifest, dataDir: o.dataDir ?? DEFAULT_DATA_DIR });
        await service.startWorker({
          concurrency,
          retention: o.retention,
          onSweepError: printError,
        });
        process.stdout.write(`worker ${process.pid} is taking jobs from ${store.target}. Ctrl-C stops it.\n`);
        const signal = await new Promise<NodeJS.Signals>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        await service.close();
        await store.close();
        process.stdout.write(`worker stopped on ${signal}\n`);
        return EXIT.ok;
      }),
    );
}
