import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "../../src/manifest/types.ts";
import { renderNotice } from "../../src/notice/render-notice.ts";
import { sectionId } from "../../src/notice/section-titles.ts";
import { HAS_CHROMIUM, launchChromium } from "../browser.ts";
import { loadFixture, tryLoadExample } from "./fixture.ts";

describe.skipIf(!HAS_CHROMIUM)(
  `the HTML notice in a real browser${HAS_CHROMIUM ? "" : " — SKIPPED: /usr/bin/chromium is missing (apt-get install -y chromium)"}`,
  () => {
    let browser: Browser;
    let dir: string;
    let manifest: Manifest;
    let url: string;

    beforeAll(async () => {
      // The example manifest is the realistic page; the fixture stands in while the example does not load.
      const example = await tryLoadExample();
      manifest = example.manifest ?? (await loadFixture());
      dir = await mkdtemp(join(tmpdir(), "steward-notice-"));
      const file = join(dir, "notice.html");
      await writeFile(file, renderNotice(manifest, "html"));
      url = pathToFileURL(file).href;
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it("loads standalone, shows its title, and a table-of-contents link scrolls to its section", async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      const problems: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(url);

      expect(await page.title()).toBe(`${manifest.notice!.title} — ${manifest.organization!.name}`);
      expect(requests).toEqual([url]);
      expect(problems).toEqual([]);

      const target = sectionId("retention");
      const section = page.locator(`main > section#${target}`);
      expect(await section.evaluate((el) => el.getBoundingClientRect().top)).toBeGreaterThan(900);
      await page.locator(`nav.toc a[href="#${target}"]`).click();
      await page.waitForURL(`${url}#${target}`);
      const top = await section.evaluate((el) => el.getBoundingClientRect().top);
      // scroll-margin-top is 1rem: the section's top sits just below the top of the viewport.
      expect(top).toBeGreaterThanOrEqual(0);
      expect(top).toBeLessThanOrEqual(20);
      expect(await page.evaluate<number>("window.scrollY")).toBeGreaterThan(0);
      await expect(section.locator("h2").textContent()).resolves.toBe("How long we keep personal data");

      await page.goto(url);
      await page.screenshot({ path: "/tmp/notice.png" });
      await page.close();
    });

    it("every link of the table of contents lands on an element, and the page fits a phone's width", async () => {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(url);
      // Evaluated in the page (as a string: the project's TypeScript has no DOM library).
      const missing = await page.evaluate<string[]>(
        `[...document.querySelectorAll("nav.toc a")].map((a) => a.getAttribute("href").slice(1))
          .filter((id) => !document.getElementById(id))`,
      );
      expect(missing).toEqual([]);
      expect(await page.locator("nav.toc a").count()).toBeGreaterThan(manifest.notice!.sections.length);
      const overflow = await page.evaluate<number>(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
      );
      expect(overflow).toBe(0);
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
      await page.screenshot({ path: "/tmp/notice-phone.png" });
      await page.close();
    });
  },
);
