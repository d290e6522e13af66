/**
 * `steward requests list|show|approve|deny|extend|pause|resume|retry|cancel|hold|unhold` — the operators' CLI twins of
 * /api/admin, over the same request service. The trail names the operator as `cli:$USER`. While `steward serve` holds
 * the embedded store, they go through that server (src/cli/requests-twin.ts).
 */
import type { Command } from "commander";
import { ADMIN_ACTIONS, type AdminAction } from "../../requests/admin-actions.ts";
import { DENIAL_REASONS } from "../../requests/denial-reasons.ts";
import type { RequestSummary } from "../../requests/request-views.ts";
import { type AdminViewJson, withRequestsTwin } from "../requests-twin.ts";
import { EXIT, runAction } from "../run-action.ts";
import { collect, storeFlags, textTable } from "../text-table.ts";

interface Common {
  dataDir?: string;
  json?: boolean;
}

function table(rows: readonly RequestSummary[]): string {
  if (rows.length === 0) return "no requests\n";
  const head = ["id", "type", "jurisdiction", "status", "due", "days left"];
  const body = rows.map((r) => [
    r.id,
    r.type,
    r.jurisdiction ?? "",
    r.status + (r.paused ? " (paused)" : ""),
    r.due_at?.slice(0, 10) ?? "",
    r.days_left === null ? "" : r.overdue ? `OVERDUE ${-r.days_left}` : String(r.days_left),
  ]);
  return textTable(head, body);
}

function detail(v: AdminViewJson): string {
  const lines = [
    `${v.type} request ${v.id} — ${v.status}${v.paused ? " (clock paused)" : ""}`,
    `jurisdiction ${v.jurisdiction ?? "-"}; received ${v.received_at}; due ${v.due_at ?? "when verified"}` +
      (v.acknowledge_by ? `; confirm receipt by ${v.acknowledge_by}` : "") +
      (v.extended ? " (extended)" : ""),
    `identities ${Object.entries(v.identities)
      .map(([t, x]) => `${t}=${x}`)
      .join(" ")}; verification ${v.verification.level} (${v.verification.method ?? "not yet"})`,
    ...(v.agent ? [`made by authorized agent ${v.agent} (Data Rights Protocol)`] : []),
    ...v.agents.map(
      (a) =>
        `agent ${a.agent}: ${a.exercise}${a.regime ? ` under ${a.regime}` : ""}` +
        (a.power_of_attorney ? `; power of attorney: ${a.power_of_attorney}` : "") +
        (a.revoked_at ? `; revoked ${a.revoked_at}` : ""),
    ),
    ...(v.reason ? [`reason: ${v.reason}`] : []),
    ...(v.retry_at ? [`next automatic retry ${v.retry_at} (${v.auto_retries} made so far)`] : []),
    ...v.holds.map((h) => `LEGAL HOLD ${h.id} since ${h.placed_at.slice(0, 10)}: ${h.reason}`),
    "",
    "timeline:",
    ...v.timeline.map((t) => `  ${t.at.slice(0, 19).replace("T", " ")}  ${t.text}`),
    "",
    `next: ${v.next}`,
  ];
  return `${lines.join("\n")}\n`;
}

export function register(program: Command): void {
  const requests = program
    .command("requests")
    .description("List, inspect and act on data-subject requests (the CLI twin of /api/admin).");
  const common = storeFlags;

  common(
    requests
      .command("list")
      .description("The queue, soonest due first.")
      .argument("[dir]", "manifest folder", ".")
      .option("--status <s>", "only these states (repeatable)", collect, [])
      .option("--type <t>", "only these types (repeatable)", collect, [])
      .option("--jurisdiction <j>", "only these jurisdictions (repeatable)", collect, [])
      .option("--overdue", "only overdue requests")
      .option("--open", "only open requests"),
  ).action(
    runAction(
      async (
        dir: string,
        o: Common & { status: string[]; type: string[]; jurisdiction: string[]; overdue?: boolean; open?: boolean },
      ) =>
        withRequestsTwin(dir, { ...o, jobs: false }, async (twin) => {
          const list = await twin.list({
            status: o.status,
            type: o.type,
            jurisdiction: o.jurisdiction,
            ...(o.overdue ? { overdue: true } : {}),
            ...(o.open ? { open: true } : {}),
          });
          process.stdout.write(o.json ? `${JSON.stringify(list, null, 2)}\n` : table(list.requests));
          return EXIT.ok;
        }),
    ),
  );

  common(
    requests
      .command("show")
      .description("One request in full.")
      .argument("<id>")
      .argument("[dir]", "manifest folder", "."),
  ).action(
    runAction(async (id: string, dir: string, o: Common) =>
      withRequestsTwin(dir, { ...o, jobs: false }, async (twin) => {
        const view = await twin.show(id);
        process.stdout.write(o.json ? `${JSON.stringify(view, null, 2)}\n` : detail(view));
        return EXIT.ok;
      }),
    ),
  );

  for (const action of ADMIN_ACTIONS) {
    common(
      requests
        .command(action)
        .description(
          `${action[0]!.toUpperCase()}${action.slice(1)} a request${["deny", "extend", "pause"].includes(action) ? " (--reason is required)" : ""}.`,
        )
        .argument("<id>")
        .argument("[dir]", "manifest folder", ".")
        .option("--reason <text>", "why: shown to the person and kept in the audit trail")
        .option(
          "--denial <kind>",
          `deny only: the kind of denial, told to an authorized agent (DRP 1.0 §3.02): ${DENIAL_REASONS.join(", ")} (default other)`,
        ),
    ).action(
      runAction(async (id: string, dir: string, o: Common & { reason?: string; denial?: string }) =>
        withRequestsTwin(dir, o, async (twin) => {
          const row = await twin.act(id, action as AdminAction, o.reason, o.denial);
          process.stdout.write(
            o.json
              ? `${JSON.stringify({ id: row.id, status: row.status, due_at: row.due_at }, null, 2)}\n`
              : `${id}: ${row.status}${row.due_at ? `, due ${row.due_at.slice(0, 10)}` : ""}\n`,
          );
          return EXIT.ok;
        }),
      ),
    );
  }

  common(
    requests
      .command("hold")
      .description("Place a legal hold on the subject of a request: erasure stops for them until it is lifted.")
      .argument("<id>", "a request of the subject")
      .argument("[dir]", "manifest folder", ".")
      .requiredOption("--reason <text>", "why (kept in the audit trail)"),
  ).action(
    runAction(async (id: string, dir: string, o: Common & { reason: string }) =>
      withRequestsTwin(dir, { ...o, jobs: false }, async (twin) => {
        const holds = await twin.hold(id, o.reason);
        process.stdout.write(
          o.json ? `${JSON.stringify({ holds }, null, 2)}\n` : holds.map((h) => `hold ${h.id}\n`).join(""),
        );
        return EXIT.ok;
      }),
    ),
  );

  common(
    requests
      .command("unhold")
      .description("Lift a legal hold.")
      .argument("<hold-id>")
      .argument("[dir]", "manifest folder", ".")
      .option("--reason <text>", "why (kept in the audit trail)"),
  ).action(
    runAction(async (holdId: string, dir: string, o: Common & { reason?: string }) =>
      withRequestsTwin(dir, { ...o, jobs: false }, async (twin) => {
        await twin.unhold(holdId, o.reason);
        process.stdout.write(o.json ? `${JSON.stringify({ lifted: holdId })}\n` : `lifted ${holdId}\n`);
        return EXIT.ok;
      }),
    ),
  );
}
