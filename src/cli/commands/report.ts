/**
 * `steward report ccpa --year YYYY` — the request metrics of 11 CCR §7102(a)(1) for one calendar year, from the store's
 * requests and audit trail. Reads only; the year runs in the controller's time zone (`STEWARD_TIME_ZONE`, default UTC).
 */
import type { Command } from "commander";
import { stewardError } from "../../errors.ts";
import { buildCcpaMetrics, CCPA_FORMATS, formatCcpaMetrics } from "../../records/ccpa-metrics.ts";
import { readCcpaRows } from "../../records/read-ccpa-rows.ts";
import { isTimeZone } from "../../requests/deadlines/local-date.ts";
import { configFromEnv } from "../../requests/service-context.ts";
import { oneOf, runAction } from "../run-action.ts";
import { withStoreOnly } from "../service-session.ts";
import { writeOutput } from "./notice.ts";

interface CcpaOptions {
  year: string;
  format: string;
  out?: string;
  dataDir?: string;
  allJurisdictions?: boolean;
}

function parseYear(value: string): number {
  if (/^\d{4}$/.test(value) && Number(value) >= 1970) return Number(value);
  throw stewardError("STW_CLI_BAD_OPTION", {
    option: "--year",
    value,
    allowed: ["a calendar year from 1970, e.g. 2025"],
  });
}

export function register(program: Command): void {
  const report = program.command("report").description("Reports compiled from the store's records of requests.");
  report
    .command("ccpa")
    .description(
      "The CCPA metrics (11 CCR §7102(a)(1)) for a calendar year: per request type, the requests received, complied " +
        "with in whole or in part, and denied (by reason), and the median and mean days to respond. Counts " +
        "jurisdiction us_ca unless --all-jurisdictions.",
    )
    .requiredOption("--year <yyyy>", "the calendar year (§7102 asks for the previous one)")
    .option("--format <format>", `output format: ${CCPA_FORMATS.join(", ")}`, "md")
    .option("--out <file>", "write to this file instead of stdout")
    .option("--data-dir <dir>", "folder of the embedded store (default .steward; PostgreSQL: STEWARD_DATABASE_URL)")
    .option("--all-jurisdictions", "count requests of every jurisdiction, not only us_ca (the report says so)")
    .action(
      runAction(async (o: CcpaOptions) => {
        const year = parseYear(o.year);
        const format = oneOf("--format", o.format, CCPA_FORMATS);
        const { timeZone } = configFromEnv();
        if (!isTimeZone(timeZone))
          throw stewardError("STW_CLI_BAD_OPTION", {
            option: "STEWARD_TIME_ZONE",
            value: timeZone,
            allowed: ["an IANA time zone such as America/Los_Angeles"],
          });
        const rows = await withStoreOnly(o, (store) =>
          readCcpaRows(store.db, { year, timeZone, jurisdictions: o.allJurisdictions ? "all" : ["us_ca"] }),
        );
        await writeOutput(formatCcpaMetrics(buildCcpaMetrics(rows), format), o.out);
        return undefined;
      }),
    );
}
