/// <reference lib="dom" />
/**
 * Debian's chromium, driven by playwright-core (no browser download). Browser tests skip, saying why, where it is not
 * installed (`apt-get install -y chromium`; .ci/run installs it). STEWARD_CHROMIUM points at another binary.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env["STEWARD_CHROMIUM"] ?? "/usr/bin/chromium";
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Headless, sandbox off (tests run as root), and none of the background traffic the closed network would refuse. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * axe-core's WCAG 2.1 A and AA rules, run in the page; the violations as "rule: target" lines. Fails when fewer than
 * ten rules found something to check, so that an empty answer means checked, not skipped.
 */
export async function axeViolations(page: Page, within?: string): Promise<string[]> {
  const { source } = await import("axe-core");
  await page.evaluate(source);
  const { checked, violations } = await page.evaluate(async (context) => {
    type Rule = { id: string; nodes: { target: string[] }[] };
    const axe = (
      window as unknown as {
        axe: { run: (c: unknown, o: unknown) => Promise<{ violations: Rule[]; passes: Rule[] }> };
      }
    ).axe;
    const result = await axe.run(context ?? document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return {
      checked: result.passes.length + result.violations.length,
      violations: result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`)),
    };
  }, within ?? null);
  if (checked < 10) throw new Error(`axe-core checked only ${checked} rules on ${page.url()}: nothing to check?`);
  return violations;
}
