/**
 * `steward audit verify` — recompute the hash chains of the request trail and of the consent ledger; exit 0 when both
 * hold, 1 naming the first break of each broken one.
 */
import type { Command } from "commander";
import { type ChainVerdict, verifyAuditChain } from "../../audit/verify-audit-chain.ts";
import { verifyConsentChain } from "../../consent/verify-consent-chain.ts";
import { localApi, servingServer } from "../local-api.ts";
import { EXIT, runAction } from "../run-action.ts";
import { withStoreOnly } from "../service-session.ts";

export function register(program: Command): void {
  const audit = program.command("audit").description("The tamper-evident audit trail.");
  audit
    .command("verify")
    .description(
      "Check the hash chains of the request trail and the consent ledger. Exit 0 when both hold, 1 when an entry was changed or removed. Events whose payloads were removed with their request's record (after the retention period) are checked against the records.deleted event that removed them.",
    )
    .option("--data-dir <dir>", "folder of the embedded store (default .steward; PostgreSQL: STEWARD_DATABASE_URL)")
    .option("--json", "print JSON")
    .action(
      runAction(async (o: { dataDir?: string; json?: boolean }) => {
        const server = await servingServer(o.dataDir);
        const { audit, consent } = server
          ? await localApi(server)<{ audit: ChainVerdict; consent: ChainVerdict }>("GET", "/api/admin/audit/verify")
          : await withStoreOnly(o, async (store) => ({
              audit: await verifyAuditChain(store.db),
              consent: await verifyConsentChain(store.db),
            }));
        if (o.json)
          process.stdout.write(`${JSON.stringify({ ok: audit.ok && consent.ok, audit, consent }, null, 2)}\n`);
        else
          process.stdout.write(
            `${inWords("audit chain", "event", audit)}${inWords("consent ledger", "entry", consent)}`,
          );
        return audit.ok && consent.ok ? EXIT.ok : EXIT.findings;
      }),
    );
}

function inWords(name: string, unit: string, v: ChainVerdict): string {
  if (v.ok)
    return (
      `${name} holds: ${v.events} ${unit === "entry" && v.events !== 1 ? "entries" : `${unit}${v.events === 1 ? "" : "s"}`}, head ${v.head ? `${v.head.slice(0, 16)}…` : "(none yet)"}` +
      (v.pruned
        ? `; ${v.pruned} of them without their payloads (their requests' records were deleted after the retention period), checked against the records.deleted events`
        : "") +
      (v.waiting
        ? `; ${v.waiting} more written by changes still committing, not yet linked (checked at the next verify)`
        : "") +
      "\n"
    );
  return (
    `${name} BROKEN at ${unit} ${v.brokenAt.id} (${v.brokenAt.kind}): ${v.brokenAt.why}\n` +
    `${v.events - 1} ${unit === "entry" ? "entries" : "events"} before it verified.\n`
  );
}
