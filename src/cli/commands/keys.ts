/** `steward keys create|list|revoke` — API keys for the admin API; the key is printed once, only its hash is kept. */
import type { Command } from "commander";
import { API_KEY_ROLES, createApiKey, listApiKeys, revokeApiKey } from "../../auth/api-keys.ts";
import { EXIT, runAction } from "../run-action.ts";
import { cliActor, withStoreOnly } from "../service-session.ts";
import { storeFlags } from "../text-table.ts";

interface Common {
  dataDir?: string;
  json?: boolean;
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
    runAction(async (o: Common & { role: string; name: string }) =>
      withStoreOnly(o, async (store) => {
        const { key, info } = await createApiKey(store.db, o, cliActor());
        process.stdout.write(
          o.json
            ? `${JSON.stringify({ key, id: info.id, name: info.name, role: info.role })}\n`
            : `${key}\n\nThe ${info.role} key "${info.name}" (${info.prefix}…). Keep it now: Steward stores only its hash.\n`,
        );
        return EXIT.ok;
      }),
    ),
  );

  common(keys.command("list").description("Active keys (never the keys themselves).")).action(
    runAction(async (o: Common) =>
      withStoreOnly(o, async (store) => {
        const list = await listApiKeys(store.db);
        if (o.json) process.stdout.write(`${JSON.stringify({ keys: list }, null, 2)}\n`);
        else if (list.length === 0) process.stdout.write("no active keys\n");
        else
          for (const k of list)
            process.stdout.write(
              `${k.prefix}…  ${k.role.padEnd(8)}  ${k.name}  created ${k.created_at.toISOString().slice(0, 10)}` +
                `${k.last_used_at ? `, last used ${k.last_used_at.toISOString().slice(0, 10)}` : ""}\n`,
            );
        return EXIT.ok;
      }),
    ),
  );

  common(keys.command("revoke").description("Revoke a key by name, id or prefix.").argument("<key>")).action(
    runAction(async (which: string, o: Common) =>
      withStoreOnly(o, async (store) => {
        const k = await revokeApiKey(store.db, which, cliActor());
        process.stdout.write(o.json ? `${JSON.stringify({ revoked: k.id })}\n` : `revoked ${k.name} (${k.prefix}…)\n`);
        return EXIT.ok;
      }),
    ),
  );
}
