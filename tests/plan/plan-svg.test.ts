import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { buildPlan } from "../../src/plan/build-plan.ts";
import { planToDot } from "../../src/plan/explain-plan.ts";
import { dotToSvg } from "../../src/render/dot-to-svg.ts";
import { HAS_CHROMIUM, launchChromium } from "../browser.ts";
import { steward } from "../cli/run-cli.ts";

const example = join(import.meta.dirname, "..", "..", "examples", "learning-platform");

describe("steward plan --format svg", () => {
  it("draws every collection of the plan, and starts at <svg> (no XML prolog)", async () => {
    const r = steward([
      "plan",
      example,
      "--identity",
      "email=ada@example.com",
      "--action",
      "erasure",
      "--format",
      "svg",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("<svg")).toBe(true);
    expect(r.stdout.trimEnd().endsWith("</svg>")).toBe(true);
    expect(r.stdout).not.toContain("ada@example.com");

    const manifest = await loadManifestDir(example);
    const plan = buildPlan(manifest, { action: "erasure", identities: ["email"] });
    const drawn = [...plan.steps.map((s) => s.collection), ...plan.unreached];
    expect(drawn.length).toBeGreaterThan(20);
    for (const address of drawn) expect(r.stdout).toContain(`>${address}</text>`);
  });

  it("refuses an unknown format, naming svg among the allowed ones", () => {
    const r = steward(["plan", example, "--identity", "email=x", "--format", "png"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'STW_CLI_BAD_OPTION: option --format does not take "png"; allowed: "text", "json", "dot", "svg"',
    );
  });

  it("turns a DOT the layout cannot read into a coded internal error", async () => {
    await expect(dotToSvg("digraph { a -> }")).rejects.toMatchObject({ code: "STW_INTERNAL" });
  });
});

describe.skipIf(!HAS_CHROMIUM)(
  `the plan's SVG in a real browser${HAS_CHROMIUM ? "" : " — SKIPPED: /usr/bin/chromium is missing (apt-get install -y chromium)"}`,
  () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("shows every collection's name inside its box", async () => {
      const manifest = await loadManifestDir(example);
      const svg = await dotToSvg(planToDot(buildPlan(manifest, { action: "erasure", identities: ["email"] })));
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.setContent(`<!doctype html><body style="margin:0">${svg}</body>`);
      // For each node: how far its label sticks out of its box (evaluated in the page; the project has no DOM types).
      const overflow = await page.evaluate<{ name: string; by: number }[]>(
        `[...document.querySelectorAll("g.node")].map((g) => {
           const box = g.querySelector("polygon, ellipse").getBBox();
           const text = [...g.querySelectorAll("text")].map((t) => t.getBBox());
           const by = Math.max(...text.map((t) => Math.max(box.x - t.x, t.x + t.width - (box.x + box.width))));
           return { name: g.querySelector("title").textContent, by };
         })`,
      );
      expect(overflow.length).toBeGreaterThan(20);
      expect(overflow.filter((o) => o.by > 0)).toEqual([]);
      await page.screenshot({ path: "/tmp/steward-plan-svg.png" });
      await page.close();
    });
  },
);
