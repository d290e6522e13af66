/** `steward audit verify` — recompute the audit trail's hash chain; exit 0 when it holds, 1 naming the first break. */
import type { Command } from "commander";
import { verifyAuditChain } from "../../audit/verify-audit-chain.ts";
import { EXIT, runAction } from "../run-action.ts";
import { withStoreOnly } from "../service-session.ts";

export function register(program: Command): void {
  const audit = program.command("audit").description("The tamper-evident audit trail.");
  audit
    .command("verify")
    .description("Check the hash chain over every event. Exit 0 when it holds, 1 when an event was changed or removed.")
    .option("--data-dir <dir>", "folder of the embedded store (default .steward; PostgreSQL: STEWARD_DATABASE_URL)")
    .option("--json", "print JSON")
    .action(
      runAction(async (o: { dataDir?: string; json?: boolean }) =>
        withStoreOnly(o, async (store) => {
          const verdict = await verifyAuditChain(store.db);
          if (o.json) process.stdout.write(`${JSON.stringify(verdict, null, 2)}\n`);
          else if (verdict.ok)
            process.stdout.write(`audit chain holds: ${verdict.events} events, head ${verdict.head.slice(0, 16)}…\n`);
          else
            process.stdout.write(
              `audit chain BROKEN at event ${verdict.brokenAt.id} (${verdict.brokenAt.kind}): ${verdict.brokenAt.why}\n` +
                `${verdict.events - 1} event(s) before it verified.\n`,
            );
          return verdict.ok ? EXIT.ok : EXIT.findings;
        }),
      ),
    );
}
