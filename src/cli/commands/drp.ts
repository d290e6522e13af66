/**
 * `steward drp business-document [DIR] [--json]` — this company's entry for the DRP network's business discovery
 * document (DRP 1.0 §3.05.2), to hand to the network's operators: the `id` every signed message must carry as its
 * `business-id` (STEWARD_DRP_BUSINESS_ID), `api_base` from STEWARD_PUBLIC_URL, the actions and verifications taken.
 */
import type { Command } from "commander";
import { businessDocument } from "../../drp/business-document.ts";
import { drpConfigFromEnv } from "../../drp/drp-config.ts";
import { loadManifestDir } from "../../fs/load-manifest-dir.ts";
import { configFromEnv } from "../../requests/service-context.ts";
import { EXIT, runAction } from "../run-action.ts";

export function register(program: Command): void {
  const drp = program.command("drp").description("The Data Rights Protocol 1.0 for authorized agents (docs/drp.md).");
  drp
    .command("business-document")
    .description("Print this company's entry for the DRP business discovery document (§3.05.2).")
    .argument("[dir]", "manifest folder", ".")
    .option("--json", "print the JSON entry only")
    .action(
      runAction(async (dir: string, o: { json?: boolean }) => {
        const manifest = await loadManifestDir(dir);
        const config = drpConfigFromEnv(manifest);
        const doc = businessDocument(manifest, config, configFromEnv().publicUrl);
        if (o.json) {
          process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
          return EXIT.ok;
        }
        const lines = [
          `DRP business discovery entry for ${doc.name}`,
          `  id (business-id)         ${doc.id}${process.env["STEWARD_DRP_BUSINESS_ID"] ? "" : "  (from the organization key; set STEWARD_DRP_BUSINESS_ID to choose)"}`,
          `  api_base                 ${doc.api_base}${process.env["STEWARD_PUBLIC_URL"] ? "" : "  (set STEWARD_PUBLIC_URL to the public https address)"}`,
          `  supported_actions        ${doc.supported_actions.join(", ") || "(none)"}`,
          `  supported_verifications  ${doc.supported_verifications.join(", ") || "(none)"}`,
          `  web_url                  ${doc.web_url ?? "-"}`,
          `  technical_contact        ${doc.technical_contact}`,
          `  business_contact         ${doc.business_contact}`,
          "",
          "Send the JSON (--json) to the DRP network's operators; agents then find this company at api_base.",
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
        return EXIT.ok;
      }),
    );
}
