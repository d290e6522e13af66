/**
 * The real server on an ephemeral port, opened in Debian's chromium through playwright-core. Skipped (with the
 * reason printed) where chromium is not installed: `apt-get install -y chromium`.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/api/start-server.ts";
import { isStewardError } from "../../src/errors.ts";
import { CHROMIUM, HAS_CHROMIUM, launchChromium } from "../browser.ts";
import { loadTinyManifest } from "./fixtures/tiny-manifest.ts";

const SCREENSHOT = "/tmp/serve-notice.png";

let dataDir: string;
let server: RunningServer;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "steward-serve-"));
  server = await startServer({ manifest: await loadTinyManifest(), port: 0, store: { dataDir }, logger: false });
});
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("startServer", () => {
  it("listens on an ephemeral port and has published the notice version in the store", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.notice.outcome).toBe("recorded");
    const res = await fetch(`${server.url}/api/notice/versions`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { versions: { version: string }[] }).versions.map((v) => v.version)).toEqual([
      "2025-03-01",
    ]);
  });

  it("makes a first admin key for a store without one, in a file only its owner reads, and signs in with it", async () => {
    const file = server.firstKeyFile ?? "";
    expect(file).toBe(join(dataDir, "first-admin.key"));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const key = (await readFile(file, "utf8")).trim();
    expect(key).toMatch(/^stw_/);
    const res = await fetch(`${server.url}/admin/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ key }).toString(),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin");
    // The store has had a key: a later start makes none, even once every key is revoked (the operator meant it).
    const { ensureFirstAdminKey } = await import("../../src/auth/first-admin-key.ts");
    const { revokeApiKey } = await import("../../src/auth/api-keys.ts");
    await expect(ensureFirstAdminKey(server.store.db, dataDir)).resolves.toBeUndefined();
    await revokeApiKey(server.store.db, "first-admin");
    await expect(ensureFirstAdminKey(server.store.db, dataDir)).resolves.toBeUndefined();
  });

  it("refuses a port that is in use with STW_SERVE_PORT_IN_USE and leaves no store open", async () => {
    const port = Number(new URL(server.url).port);
    const other = await mkdtemp(join(tmpdir(), "steward-serve-"));
    let caught: unknown;
    try {
      await startServer({ manifest: await loadTinyManifest(), port, store: { dataDir: other }, logger: false });
    } catch (error) {
      caught = error;
    }
    await rm(other, { recursive: true, force: true });
    expect(isStewardError(caught) && caught.code).toBe("STW_SERVE_PORT_IN_USE");
    expect((caught as Error).message).toContain(`port ${port}`);
  });

  it.skipIf(!HAS_CHROMIUM)(`renders /notice in chromium (skipped when ${CHROMIUM} is absent)`, async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      const response = await page.goto(`${server.url}/notice`);
      expect(response?.status()).toBe(200);
      expect(await page.title()).toBe("Quill Privacy Notice — Quill Reading Club");
      expect(await page.locator("h1").first().textContent()).toContain("Quill Privacy Notice");
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(existsSync(SCREENSHOT)).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
