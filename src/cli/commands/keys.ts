/**
 * `steward keys create|list|revoke` — API keys for the admin API; the key is printed once, only its hash is kept.
 * While `steward serve` holds the embedded store they go through its admin API (src/cli/local-api.ts).
 */
import type { Command } from "commander";
import { API_KEY_ROLES, createApiKey, listApiKeys, revokeApiKey } from "../../auth/api-keys.ts";
import { localApi, servingServer } from "../local-api.ts";
import { EXIT, runAction } from "../run-action.ts";
import { cliActor, withStoreOnly } from "../service-session.ts";
import { storeFlags } from "../text-table.ts";

interface Common {
  dataDir?: string;
  json?: boolean;
}

interface KeyJson {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly prefix: string;
  readonly created_at: string;
  readonly last_used_at: string | null;
}

/** Through the running server when one holds the embedded store, else on the store opened here. */
async function keyStore<T>(
  o: Common,
  remote: (api: ReturnType<typeof localApi>) => Promise<T>,
  local: (store: Parameters<Parameters<typeof withStoreOnly>[1]>[0]) => Promise<T>,
): Promise<T> {
  const server = await servingServer(o.dataDir);
  return server ? remote(localApi(server)) : withStoreOnly(o, local);
}

export function register(program: Command): void {
  const keys = program.command("keys").description("API keys for /api/admin (roles: admin, approver, viewer).");
  const common = storeFlags;

  common(
    keys
      .command("create")
      .description("Make a key; it is printed once and cannot be shown again.")
      .requiredOption("--role <role>", API_KEY_ROLES.join(" | "))
      .requiredOption("--name <name>", "who or what uses it, e.g. dpo-console"),
  ).action(
    runAction(async (o: Common & { role: string; name: string }) => {
      const made = await keyStore(
        o,
        (api) =>
          api<{ key: string; id: string; name: string; role: string; prefix: string }>("POST", "/api/admin/keys", {
            name: o.name,
            role: o.role,
          }),
        async (store) => {
          const { key, info } = await createApiKey(store.db, o, cliActor());
          return { key, id: info.id, name: info.name, role: info.role, prefix: info.prefix };
        },
      );
      process.stdout.write(
        o.json
          ? `${JSON.stringify({ key: made.key, id: made.id, name: made.name, role: made.role })}\n`
          : `${made.key}\n\nThe ${made.role} key "${made.name}" (${made.prefix}…). Keep it now: Steward stores only its hash.\n`,
      );
      return EXIT.ok;
    }),
  );

  common(keys.command("list").description("Active keys (never the keys themselves).")).action(
    runAction(async (o: Common) => {
      const list = await keyStore(
        o,
        async (api) => (await api<{ keys: KeyJson[] }>("GET", "/api/admin/keys")).keys,
        async (store) => JSON.parse(JSON.stringify(await listApiKeys(store.db))) as KeyJson[],
      );
      if (o.json) process.stdout.write(`${JSON.stringify({ keys: list }, null, 2)}\n`);
      else if (list.length === 0) process.stdout.write("no active keys\n");
      else
        for (const k of list)
          process.stdout.write(
            `${k.prefix}…  ${k.role.padEnd(8)}  ${k.name}  created ${k.created_at.slice(0, 10)}` +
              `${k.last_used_at ? `, last used ${k.last_used_at.slice(0, 10)}` : ""}\n`,
          );
      return EXIT.ok;
    }),
  );

  common(keys.command("revoke").description("Revoke a key by name, id or prefix.").argument("<key>")).action(
    runAction(async (which: string, o: Common) => {
      const k = await keyStore(
        o,
        async (api) => {
          const r = await api<{ revoked: string; name: string; prefix: string }>(
            "DELETE",
            `/api/admin/keys/${encodeURIComponent(which)}`,
          );
          return { id: r.revoked, name: r.name, prefix: r.prefix };
        },
        (store) => revokeApiKey(store.db, which, cliActor()),
      );
      process.stdout.write(o.json ? `${JSON.stringify({ revoked: k.id })}\n` : `revoked ${k.name} (${k.prefix}…)\n`);
      return EXIT.ok;
    }),
  );
}
