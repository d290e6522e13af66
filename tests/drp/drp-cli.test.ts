/**
 * `steward drp business-document` prints the company's business discovery entry (§3.05.2) from the manifest and the
 * environment; `steward serve` refuses an agent discovery document it cannot use, with the coded error.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { steward } from "../cli/run-cli.ts";

const EXAMPLE = "examples/learning-platform";

describe("steward drp", () => {
  it("prints the business discovery entry, as JSON with --json", () => {
    const env = {
      STEWARD_DRP_BUSINESS_ID: "LEARNING_CO",
      STEWARD_PUBLIC_URL: "https://privacy.example.com/",
      STEWARD_DRP_TECHNICAL_CONTACT: "drp-tech@example.com",
    };
    const json = steward(["drp", "business-document", EXAMPLE, "--json"], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      id: "LEARNING_CO",
      name: "Coursera",
      logo: null,
      api_base: "https://privacy.example.com",
      supported_actions: ["sale:opt-out", "sale:opt-in", "access", "access:categories", "access:specific", "deletion"],
      supported_verifications: ["email"],
      web_url: "https://www.coursera.org",
      technical_contact: "drp-tech@example.com",
      business_contact: "privacy@coursera.org",
    });
    const text = steward(["drp", "business-document", EXAMPLE], {
      STEWARD_DRP_BUSINESS_ID: "",
      STEWARD_PUBLIC_URL: "",
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/id \(business-id\)\s+COURSERA {2}\(from the organization key/);
  });

  it("refuses to serve with an agent document it cannot use", () => {
    const dir = mkdtempSync(join(tmpdir(), "steward-drp-cli-"));
    const file = join(dir, "agents.json");
    writeFileSync(file, JSON.stringify([{ id: "AGENT_WITHOUT_KEY" }]));
    const run = steward(["serve", EXAMPLE, "--port", "0", "--data-dir", join(dir, "store")], {
      STEWARD_DRP_AGENTS: file,
      STEWARD_DATABASE_URL: "",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error STW_DRP_AGENTS_INVALID: the agent discovery document ${file} cannot be used`);
    expect(run.stderr).toContain('agent "AGENT_WITHOUT_KEY" has no "verify_key"');
  });
});
