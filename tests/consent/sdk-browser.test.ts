/// <reference lib="dom" />
/**
 * The browser SDK in Debian's chromium, on the demo host page served by a real Steward server (PGlite store): the
 * banner on a first visit, reject-all and accept-all with the gated tags, a Global Privacy Control signal, a change in
 * the dialog, the keyboard, and IAB's GPP CMP API. What the page did is checked against the ledger, not only the DOM.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordCurrentNotice } from "../../src/api/record-current-notice.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { axeViolations, CHROMIUM, HAS_CHROMIUM, launchChromium } from "../browser.ts";
import { type ConsentHarness, startConsentHarness } from "./consent-fixture.ts";

const EXAMPLE = new URL("../../examples/learning-platform", import.meta.url).pathname;
let h: ConsentHarness;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  h = await startConsentHarness();
  await h.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function visit(
  jurisdiction: string,
  options: { gpc?: boolean; viewport?: { width: number; height: number } } = {},
) {
  const context: BrowserContext = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    ...(options.gpc ? { extraHTTPHeaders: { "Sec-GPC": "1" } } : {}),
  });
  if (options.gpc)
    await context.addInitScript({
      content: 'Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true });',
    });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}/demo?jurisdiction=${jurisdiction}`);
  await page.evaluate(() => (window as unknown as { steward: { ready: Promise<void> } }).steward.ready);
  return { context, page, errors };
}

const tagsRan = (page: Page) =>
  page.evaluate(() => (window as unknown as { stewardDemo: { replay: boolean; ads: boolean } }).stewardDemo);

const deviceOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { steward: { subject: string } }).steward.subject);

async function ledgerOf(subject: string) {
  const rows = await h.service.ctx.consent.history(subject);
  return rows.map((r) => `${r.purpose}:${r.status}:${r.method}`).sort();
}

describe.skipIf(!HAS_CHROMIUM)(`the browser SDK on /demo (skipped when ${CHROMIUM} is absent)`, () => {
  it("has no WCAG 2.1 AA violation (axe-core) in the banner, the dialog or the demo page, on a phone and a desktop", async () => {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      const { context, page } = await visit("eea", { gpc: true, viewport });
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole("button", { name: "Choose", exact: true }).click();
      await page.getByRole("dialog", { name: "Privacy choices" }).waitFor();
      expect(await axeViolations(page, ".stw-dialog")).toEqual([]);
      await context.close();
    }
  });

  it("shows the banner on a first visit, answers __gpp('ping'), and runs no opt-in tag before a yes", async () => {
    const { context, page, errors } = await visit("eea");
    await expect(page.getByRole("region", { name: "Privacy choices" }).isVisible()).resolves.toBe(true);
    const ping = await page.evaluate(
      () =>
        new Promise((resolve) =>
          (window as unknown as { __gpp: (c: string, cb: (d: unknown, ok: boolean) => void) => void }).__gpp(
            "ping",
            (d) => resolve(d),
          ),
        ),
    );
    expect(ping).toMatchObject({
      gppVersion: "1.1",
      cmpStatus: "loaded",
      signalStatus: "ready",
      cmpDisplayStatus: "visible",
    });
    // In the EEA advertising waits for consent; session replay is opt-out, so its tag runs.
    expect(await tagsRan(page)).toEqual({ replay: true, ads: false });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("answers __gppCall messages from a cross-origin frame that finds it by its __gppLocator frame", async () => {
    const { context, page, errors } = await visit("us_ca");
    // A vendor's frame on another origin: it walks up its parents to the window holding `__gppLocator`, as IAB's
    // frame-side code does, and posts one call as an object and one as a JSON text.
    const vendor = `<!doctype html><html lang="en"><title>vendor</title><body><script>
      window.answers = [];
      let cmp = null;
      for (let f = window; ; f = f.parent) {
        try { if (f.frames.__gppLocator) { cmp = f; break; } } catch (e) {}
        if (f === window.top) break;
      }
      window.addEventListener("message", (e) => {
        const m = typeof e.data === "string" ? JSON.parse(e.data) : e.data;
        if (m && m.__gppReturn) window.answers.push({ text: typeof e.data === "string", ...m.__gppReturn });
      });
      cmp.postMessage({ __gppCall: { command: "ping", version: "1.1", callId: "ping-1" } }, "*");
      cmp.postMessage(JSON.stringify({ __gppCall: { command: "getSection", parameter: "usnat", version: "1.1", callId: 2 } }), "*");
    </script></body></html>`;
    await context.route("https://vendor.example/**", (route) =>
      route.fulfill({ contentType: "text/html; charset=utf-8", body: vendor }),
    );
    expect(await page.locator('iframe[name="__gppLocator"]').count()).toBe(1);
    await page.evaluate(() => {
      const frame = document.createElement("iframe");
      frame.src = "https://vendor.example/ad.html";
      frame.title = "An advertisement";
      document.body.append(frame);
    });
    const frame = await (await page.waitForSelector('iframe[src^="https://vendor.example/"]')).contentFrame();
    if (!frame) throw new Error("the vendor frame did not load");
    type Answer = { text: boolean; callId: unknown; success: boolean; returnValue: Record<string, unknown> | null };
    await frame.waitForFunction(() => (window as unknown as { answers: unknown[] }).answers.length >= 2);
    const answers = await frame.evaluate(() => (window as unknown as { answers: Answer[] }).answers);
    const inPage = await page.evaluate(() => {
      const gpp = (window as unknown as { __gpp: (c: string, cb: null, p?: string) => unknown }).__gpp;
      return { ping: gpp("ping", null) as { gppString: string }, usnat: gpp("getSection", null, "usnat") };
    });
    const ping = answers.find((a) => a.callId === "ping-1");
    const section = answers.find((a) => a.callId === 2);
    expect(ping).toMatchObject({ text: false, success: true, returnValue: { gppVersion: "1.1", cmpStatus: "loaded" } });
    expect(ping?.returnValue?.["gppString"]).toBe(inPage.ping.gppString);
    expect(inPage.ping.gppString).toMatch(/^DB/);
    expect(section).toMatchObject({ text: true, success: true });
    expect(section?.returnValue).toEqual(inPage.usnat);
    expect(section?.returnValue).not.toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("reject-all records a withdrawal of every choice and no gated tag runs, now or on the next visit", async () => {
    const { context, page } = await visit("eea");
    await page.getByRole("button", { name: "Reject all" }).click();
    await page.waitForFunction(() => !document.querySelector(".stw-banner"));
    const subject = await deviceOf(page);
    const ledger = await ledgerOf(subject);
    expect(ledger).toEqual(
      expect.arrayContaining([
        "session_replay:withdrawn:banner",
        "targeted_advertising:withdrawn:banner",
        "marketing_email:withdrawn:banner",
      ]),
    );
    expect(ledger.every((e) => e.endsWith(":withdrawn:banner"))).toBe(true);
    await page.reload();
    await page.evaluate(() => (window as unknown as { steward: { ready: Promise<void> } }).steward.ready);
    expect(await tagsRan(page)).toEqual({ replay: false, ads: false });
    expect(await page.locator(".stw-banner").count()).toBe(0);
    await context.close();
  });

  it("accept-all records consent and runs the gated tags", async () => {
    const { context, page } = await visit("eea");
    await page.getByRole("button", { name: "Accept all" }).click();
    await page.waitForFunction(() => (window as unknown as { stewardDemo: { ads: boolean } }).stewardDemo.ads);
    expect(await tagsRan(page)).toEqual({ replay: true, ads: true });
    const d = await h.service.ctx.consent.decide(await deviceOf(page), "targeted_advertising");
    expect(d).toMatchObject({ allowed: true, code: "consent_given" });
    await context.close();
  });

  it("with GPC on, records the opt-out without asking, says so, and runs no sale or sharing tag even on accept-all", async () => {
    const { context, page } = await visit("us_ca", { gpc: true });
    const subject = await deviceOf(page);
    expect(await ledgerOf(subject)).toEqual(["targeted_advertising:withdrawn:gpc"]);
    await expect(page.getByText("Global Privacy Control signal was honoured").first().isVisible()).resolves.toBe(true);
    await page.getByRole("button", { name: "Accept all" }).click();
    await page.waitForFunction(() => !document.querySelector(".stw-banner"));
    expect(await tagsRan(page)).toEqual({ replay: true, ads: false });
    const gpp = await page.evaluate(
      () =>
        new Promise((resolve) =>
          (window as unknown as { __gpp: (c: string, cb: (d: unknown) => void, p: string) => void }).__gpp(
            "getField",
            resolve,
            "usnat.Gpc",
          ),
        ),
    );
    expect(gpp).toBe(true);
    await context.close();
  });

  it("takes a change in the dialog into the next decision, and works by keyboard alone", async () => {
    const { context, page } = await visit("uk", { viewport: { width: 390, height: 844 } });
    await page.getByRole("button", { name: "Choose" }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Privacy choices" });
    await expect(dialog.isVisible()).resolves.toBe(true);
    // Focus starts inside and stays inside: Shift+Tab from the first control wraps to the last.
    expect(await page.evaluate(() => document.activeElement?.closest(".stw-dialog") !== null)).toBe(true);
    await page.keyboard.press("Shift+Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Save my choices");
    // Escape closes it and gives focus back to the button that opened it.
    await page.keyboard.press("Escape");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Choose");

    await page.keyboard.press("Enter");
    const replay = page.getByRole("switch", { name: "Session replay" });
    expect(await replay.isChecked()).toBe(true);
    await replay.focus();
    await page.keyboard.press("Space");
    expect(await replay.isChecked()).toBe(false);
    await page.getByRole("button", { name: "Save my choices" }).click();
    await page.waitForFunction(() => !document.querySelector(".stw-backdrop"));
    const local = await page.evaluate(() =>
      (window as unknown as { steward: { decide: (p: string) => { allowed: boolean } } }).steward.decide(
        "session_replay",
      ),
    );
    expect(local).toMatchObject({ allowed: false, code: "withdrawn" });
    const server = await h.service.ctx.consent.decide(await deviceOf(page), "session_replay");
    expect(server).toMatchObject({ allowed: false, code: "withdrawn" });
    await context.close();
  });

  it("works embedded in a host page on another origin (CORS), and ignores a jurisdiction in the page's URL", async () => {
    const { createServer } = await import("node:http");
    const host = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><html lang="en"><head><title>Host</title>
<script src="${base}/sdk.js" data-jurisdiction="eea"></script>
<script type="text/plain" data-purpose="targeted_advertising">window.hostAds = true;</script>
</head><body><h1>The host's own page</h1></body></html>`);
    });
    await new Promise<void>((r) => host.listen(0, "127.0.0.1", r));
    const port = (host.address() as AddressInfo).port;
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // localhost and 127.0.0.1 are different origins: the SDK's calls are cross-origin.
    await page.goto(`http://localhost:${port}/?jurisdiction=us_ca`);
    await page.evaluate(() => (window as unknown as { steward: { ready: Promise<void> } }).steward.ready);
    expect(errors).toEqual([]);
    await expect(page.getByRole("region", { name: "Privacy choices" }).isVisible()).resolves.toBe(true);
    // In the EEA (the host's data-jurisdiction), not California (the URL's), advertising waits for a yes.
    const d = await page.evaluate(() =>
      (window as unknown as { steward: { decide: (p: string) => unknown } }).steward.decide("targeted_advertising"),
    );
    expect(d).toMatchObject({ allowed: false, code: "default_opt_in", jurisdiction: "eea" });
    await page.getByRole("button", { name: "Accept all" }).click();
    await page.waitForFunction(() => (window as unknown as { hostAds?: boolean }).hostAds === true);
    await context.close();
    await new Promise((r) => host.close(r));
  });

  it("is served small: /sdk.js under 15 KB gzipped", async () => {
    const res = await fetch(`${base}/sdk.js`, { headers: { "accept-encoding": "identity" } });
    const { gzipSync } = await import("node:zlib");
    const gz = gzipSync(Buffer.from(await res.arrayBuffer())).length;
    expect(res.headers.get("content-type")).toContain("javascript");
    expect(gz).toBeLessThan(15 * 1024);
  });

  it("shows a bar about a material notice change until the day it applies; 'Got it' hides it for that version", async () => {
    // A later version that sends an advertising recipient's data to Brazil, applying in a month.
    const dir = await mkdtemp(join(tmpdir(), "steward-sdk-change-"));
    try {
      await cp(EXAMPLE, dir, { recursive: true });
      const effective = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const edit = async (file: string, from: string, to: string) => {
        const text = await readFile(join(dir, file), "utf8");
        if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
        await writeFile(join(dir, file), text.replace(from, to));
      };
      await edit("systems.yml", "    countries: [US, IE]\n", "    countries: [US, IE, BR]\n");
      await edit(
        "notice.yml",
        '  version: "2025-01-01"\n  effective_date: 2025-01-01',
        `  version: "sdk-${effective}"\n  effective_date: ${effective}`,
      );
      expect((await recordCurrentNotice(h.store, await loadManifestDir(dir))).outcome).toBe("recorded");
      await h.service.ctx.consent.loadNoticeChanges();

      const { context, page, errors } = await visit("eea", { viewport: { width: 390, height: 844 } });
      const bar = page.getByRole("region", { name: "Privacy notice change" });
      await bar.waitFor();
      await expect(bar.getByRole("heading").textContent()).resolves.toMatch(/^Our privacy notice changes on /);
      await bar.getByText(/What changes \(1\)/).click();
      await expect(bar.getByRole("listitem").textContent()).resolves.toMatch(/Meta advertising.*Brazil/);
      await expect(bar.getByRole("link", { name: "Read the new notice" }).getAttribute("href")).resolves.toBe(
        `${base}/notice/versions/sdk-${effective}`,
      );
      expect(await axeViolations(page, ".stw-change")).toEqual([]);
      await bar.getByRole("button", { name: "Got it" }).click();
      await expect(bar.count()).resolves.toBe(0);
      // The next page of the same visitor: not again for this version.
      await page.reload();
      await page.evaluate(() => (window as unknown as { steward: { ready: Promise<void> } }).steward.ready);
      await expect(page.getByRole("region", { name: "Privacy notice change" }).count()).resolves.toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
