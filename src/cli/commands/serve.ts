import type { Command } from "commander";
import { startServer } from "../../api/start-server.ts";
import { stewardError } from "../../errors.ts";
import { loadManifestDir } from "../../fs/load-manifest-dir.ts";
import { EXIT, runAction } from "../run-action.ts";

interface ServeOptions {
  readonly port: string;
  readonly host: string;
  readonly dataDir?: string;
  readonly worker: boolean;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw stewardError("STW_CLI_BAD_OPTION", { option: "--port", value, allowed: ["0 (any free port)", "1…65535"] });
  }
  return port;
}

/** Resolves on the first SIGINT or SIGTERM (Ctrl-C, `docker stop`, systemd). */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

export function register(program: Command): void {
  program
    .command("serve")
    .description(
      "Serve the notice, the manifest and the notice history over HTTP (OpenAPI at /docs). " +
        "The store is PGlite in --data-dir, or PostgreSQL when STEWARD_DATABASE_URL is set.",
    )
    .argument("[dir]", "manifest folder", ".")
    .option("--port <port>", "port to listen on (0 picks a free one)", "3000")
    .option("--host <host>", "address to bind (0.0.0.0 for every interface)", "127.0.0.1")
    .option("--data-dir <dir>", "folder of the embedded store (default .steward; wins over STEWARD_DATABASE_URL)")
    .option("--no-worker", "do not execute requests in this process (run `steward worker` processes instead)")
    .action(
      runAction(async (dir: string, options: ServeOptions) => {
        const port = parsePort(options.port);
        const manifest = await loadManifestDir(dir);
        const server = await startServer({
          manifest,
          port,
          host: options.host,
          store: options.dataDir === undefined ? {} : { dataDir: options.dataDir },
          worker: options.worker,
        });
        const mail = server.requests?.ctx.mailer.target ?? "";
        process.stdout.write(
          `Steward is serving ${dir} at ${server.url} (notice: ${server.url}/notice, requests: ${server.url}/api/requests, ` +
            `API docs: ${server.url}/docs; store: ${server.store.target}, schema ${server.store.schemaVersion}).\n` +
            (server.requests
              ? `Privacy center: ${server.url}/ · admin console: ${server.url}/admin` +
                (server.firstKeyFile
                  ? ` — sign in with the admin key in ${server.firstKeyFile} (made now: the store had no key).\n`
                  : ".\n")
              : "") +
            (mail.startsWith("smtp")
              ? `Mail goes through ${mail}.\n`
              : `No STEWARD_SMTP_URL: mail is written to ${mail}/.\n`) +
            (server.drp
              ? `Data Rights Protocol: ${server.url}/v1/ for ${server.drp.agents.ids().length} agent(s) of ${server.drp.agents.source}, business-id ${server.drp.config.businessId}.\n`
              : "") +
            (options.worker ? "" : "No worker in this process: run `steward worker`.\n") +
            "Press Ctrl-C to stop.\n",
        );
        const signal = await untilSignal();
        await server.close();
        process.stdout.write(`Stopped on ${signal}.\n`);
        return EXIT.ok;
      }),
    );
}
