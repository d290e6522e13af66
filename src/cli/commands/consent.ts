/**
 * `steward consent events|state|export|deliveries|record` — the operators' CLI twins of /api/admin/consent, over the same ledger.
 * `export` writes one person's history as ISO/IEC TS 27560 records in W3C DPV terms (JSON-LD).
 */
import type { Command } from "commander";
import { consentCounts, consentRecords, listConsentEvents, listDeliveries } from "../../consent/consent-views.ts";
import { EXIT, runAction } from "../run-action.ts";
import { cliActor, withService } from "../service-session.ts";
import { collect, storeFlags, textTable } from "../text-table.ts";

interface Common {
  dataDir?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const consent = program
    .command("consent")
    .description(
      "The consent ledger: events, one person's decisions, their history (the CLI twin of /api/admin/consent).",
    );
  const common = storeFlags;

  common(
    consent
      .command("events")
      .description("Ledger events, newest first, and counts per purpose and method.")
      .argument("[dir]", "manifest folder", ".")
      .option("--purpose <key>", "only this purpose (repeatable)", collect, [])
      .option("--method <m>", "only this method (repeatable)", collect, [])
      .option("--since <iso>", "only events at or after this time")
      .option("--limit <n>", "at most this many events", "50"),
  ).action(
    runAction(async (dir: string, o: Common & { purpose: string[]; method: string[]; since?: string; limit: string }) =>
      withService(dir, { ...o, jobs: false }, async (_service, store) => {
        const since = o.since ? new Date(o.since) : undefined;
        const events = await listConsentEvents(store.db, {
          purpose: o.purpose,
          method: o.method,
          since,
          limit: Number(o.limit) || 50,
        });
        const counts = await consentCounts(store.db, since);
        if (o.json) process.stdout.write(`${JSON.stringify({ events, counts }, null, 2)}\n`);
        else {
          process.stdout.write(
            events.length === 0
              ? "no consent events\n"
              : textTable(
                  ["at", "purpose", "status", "method", "jurisdiction", "subject", "actor"],
                  events.map((e) => [
                    e.at.slice(0, 19).replace("T", " "),
                    e.purpose,
                    e.status,
                    e.method,
                    e.jurisdiction ?? "",
                    e.subject_type,
                    e.actor,
                  ]),
                ),
          );
          if (counts.length > 0)
            process.stdout.write(
              `\n${textTable(
                ["purpose", "method", "status", "events"],
                counts.map((c) => [c.purpose, c.method, c.status, String(c.events)]),
              )}`,
            );
        }
        return EXIT.ok;
      }),
    ),
  );

  common(
    consent
      .command("state")
      .description("One subject's decision for every purpose, with the reason.")
      .argument("<subject>", "TYPE:VALUE, e.g. email:ada@example.com")
      .argument("[dir]", "manifest folder", ".")
      .option("--jurisdiction <j>", "decide as in this jurisdiction"),
  ).action(
    runAction(async (subject: string, dir: string, o: Common & { jurisdiction?: string }) =>
      withService(dir, { ...o, jobs: false }, async (service) => {
        const decisions = await service.ctx.consent.decideMany(subject, undefined, o.jurisdiction);
        if (o.json) process.stdout.write(`${JSON.stringify({ decisions }, null, 2)}\n`);
        else
          process.stdout.write(
            textTable(
              ["purpose", "allowed", "code", "reason"],
              decisions.map((d) => [d.purpose, d.allowed ? "yes" : "no", d.code, d.reason]),
            ),
          );
        return EXIT.ok;
      }),
    ),
  );

  common(
    consent
      .command("export")
      .description("One subject's whole history as ISO/IEC TS 27560 consent records (W3C DPV, JSON-LD).")
      .requiredOption("--subject <subject>", "TYPE:VALUE, e.g. email:ada@example.com")
      .argument("[dir]", "manifest folder", "."),
  ).action(
    runAction(async (dir: string, o: Common & { subject: string }) =>
      withService(dir, { ...o, jobs: false }, async (service) => {
        const ledger = service.ctx.consent;
        const rows = await ledger.history(o.subject);
        process.stdout.write(`${JSON.stringify(consentRecords(ledger.manifest, o.subject, rows), null, 2)}\n`);
        return EXIT.ok;
      }),
    ),
  );

  common(
    consent
      .command("deliveries")
      .description("The delivery log: each change and downstream system, its state, attempts and last outcome.")
      .argument("[dir]", "manifest folder", ".")
      .option("--state <s>", "only pending, delivered, failed or skipped (repeatable)", collect, [])
      .option("--system <key>", "only this system (repeatable)", collect, [])
      .option("--limit <n>", "at most this many", "50"),
  ).action(
    runAction(async (dir: string, o: Common & { state: string[]; system: string[]; limit: string }) =>
      withService(dir, { ...o, jobs: false }, async (_service, store) => {
        const deliveries = await listDeliveries(store.db, {
          state: o.state,
          system: o.system,
          limit: Number(o.limit) || 50,
        });
        if (o.json) process.stdout.write(`${JSON.stringify({ deliveries }, null, 2)}\n`);
        else
          process.stdout.write(
            deliveries.length === 0
              ? "no deliveries\n"
              : textTable(
                  ["change", "system", "purpose", "status", "state", "attempts", "last outcome"],
                  deliveries.map((d) => [
                    d.created_at.slice(0, 19).replace("T", " "),
                    d.system,
                    d.purpose,
                    d.status,
                    d.state,
                    String(d.attempts),
                    d.log.at(-1)?.outcome ?? "",
                  ]),
                ),
          );
        return EXIT.ok;
      }),
    ),
  );

  common(
    consent
      .command("record")
      .description("Record for anyone, as an operator: a choice, or with purpose '*' a restriction placed or lifted.")
      .argument("<subject>", "TYPE:VALUE")
      .argument("<purpose>", "a purpose key, or '*'")
      .argument("<status>", "granted, withdrawn, objected, restricted, unrestricted or under_age")
      .argument("[dir]", "manifest folder", ".")
      .option("--method <m>", "admin or import", "admin")
      .option("--jurisdiction <j>", "the person's jurisdiction"),
  ).action(
    runAction(
      async (
        subject: string,
        purpose: string,
        status: string,
        dir: string,
        o: Common & { method: string; jurisdiction?: string },
      ) =>
        withService(dir, { ...o, jobs: false }, async (service) => {
          const [row] = await service.ctx.consent.recordAsOperator(
            { subject, purpose, status, method: o.method, jurisdiction: o.jurisdiction },
            cliActor(),
          );
          process.stdout.write(o.json ? `${JSON.stringify({ id: row?.record_id })}\n` : `recorded ${row?.record_id}\n`);
          return EXIT.ok;
        }),
    ),
  );
}
