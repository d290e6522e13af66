/// <reference lib="dom" />
/**
 * The privacy center and the admin console in Debian's chromium, on a real Steward server over the reference
 * deployment's databases (PostgreSQL and MariaDB, seeded small), with the code read from a real SMTP server: an access
 * request from the home page to the downloaded zip, an erasure approved in the console and shown done to the person, a
 * rectification, choices changed and the decision with them, Global Privacy Control, a viewer refused, the queue's
 * order and overdue marking — and on every page at a phone's and a desktop's size, axe-core finds no WCAG 2.1 AA
 * violation and the browser reports no CSP violation. `STEWARD_SCREENSHOTS=1` writes the pages to docs/screenshots/.
 */
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { unzipSync } from "fflate";
import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../src/auth/api-keys.ts";
import { axeViolations, CHROMIUM, HAS_CHROMIUM, launchChromium } from "../browser.ts";
import {
  type Databases,
  type Harness,
  referenceDatabases,
  startHarness,
  unusedLearner,
} from "../requests/service-fixture.ts";
import { codeFor } from "../requests/smtp-sink.ts";

const SHOTS = process.env["STEWARD_SCREENSHOTS"] === "1";
const SHOT_DIR = new URL("../../docs/screenshots/", import.meta.url).pathname;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let d: Databases;
let h: Harness;
let browser: Browser;
let base: string;
let app: pg.Client;
const used = new Set<string>();

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  d = await referenceDatabases("web", 40);
  h = await startHarness(d, { config: { approvalTypes: ["erasure"] } });
  await h.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  app = new pg.Client({ connectionString: d.dbs.pgUrl });
  await app.connect();
  browser = await launchChromium();
  if (SHOTS) mkdirSync(SHOT_DIR, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.end();
  await h?.close();
  await d?.close();
});

const learner = () => unusedLearner(app, used);

interface Visit {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Script errors and the browser's CSP reports. */
  readonly problems: string[];
  /** Every URL the page asked for. */
  readonly urls: string[];
}

async function visit(
  path: string,
  options: { viewport?: { width: number; height: number }; gpc?: boolean; js?: boolean; locale?: string } = {},
): Promise<Visit> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    acceptDownloads: true,
    javaScriptEnabled: options.js ?? true,
    locale: options.locale ?? "en-GB",
    ...(options.gpc ? { extraHTTPHeaders: { "Sec-GPC": "1" } } : {}),
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const urls: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  // The browser's own errors: scripts, and CSP refusals ("Refused to …"). A form answered 400 is not one.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
  });
  page.on("request", (r) => urls.push(r.url()));
  await page.goto(`${base}${path}`);
  return { context, page, problems, urls };
}

/** axe finds nothing; the screenshot when asked for. */
async function check(page: Page, name: string, viewport = "desktop"): Promise<void> {
  expect(await axeViolations(page), `${name} (${viewport})`).toEqual([]);
  if (SHOTS) await page.screenshot({ path: `${SHOT_DIR}${name}-${viewport}.png`, fullPage: true });
}

/** Reloads until the status page shows the state (the page refreshes itself too, with JavaScript). */
async function waitForStatus(page: Page, label: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await page.locator(".summary-list .tag").first().textContent();
    if (state?.trim() === label) return;
    if (Date.now() > deadline) throw new Error(`request still "${state}" after ${timeoutMs} ms`);
    await page.waitForTimeout(500);
    await page.reload();
  }
}

/** From the home page: the request type, the e-mail address (and what else the form asks), then the mailed code. */
async function makeRequest(
  v: Visit,
  linkName: string,
  email: string,
  fill: (page: Page) => Promise<void> = async () => {},
): Promise<string> {
  const { page } = v;
  await page.getByRole("link", { name: linkName }).click();
  await page.getByLabel("Your e-mail address").fill(email);
  await fill(page);
  const since = h.smtp.mails.length;
  await page.getByRole("button", { name: "Send request" }).click();
  await page.getByRole("heading", { name: "Check your e-mail" }).waitFor();
  await page.getByLabel("Code").fill(await codeFor(h.smtp, email, since));
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.getByRole("status").getByText("Request confirmed").waitFor();
  return page.url().split("/requests/")[1]?.split("?")[0] ?? "";
}

async function signIn(role: "approver" | "viewer", viewport = DESKTOP): Promise<Visit> {
  const { key } = await createApiKey(h.store.db, { name: `${role}-${Math.random().toString(36).slice(2, 8)}`, role });
  const v = await visit("/admin", { viewport });
  await v.page.getByLabel("API key").fill(key);
  await v.page.getByRole("button", { name: "Sign in" }).click();
  await v.page.getByRole("heading", { name: "Requests", exact: true }).waitFor();
  return v;
}

describe.skipIf(!HAS_CHROMIUM)(`the web faces in chromium (skipped when ${CHROMIUM} is absent)`, () => {
  it("takes an access request from the home page to the downloaded zip, the code read from the SMTP server", async () => {
    const l = await learner();
    const v = await visit("/?jurisdiction=eea");
    await check(v.page, "home");
    await v.page.getByRole("link", { name: "Get a copy of your data" }).click();
    await check(v.page, "request-access");
    await v.page.getByRole("button", { name: "Send request" }).click();
    // An empty form comes back with the error summary, which links to the field.
    await v.page.getByRole("alert").getByRole("link", { name: "Enter your e-mail address" }).waitFor();
    expect(await v.page.title()).toMatch(/^Error: /);
    await check(v.page, "request-error");
    await v.page.goto(`${base}/?jurisdiction=eea`);
    const since = h.smtp.mails.length;
    await v.page.getByRole("link", { name: "Get a copy of your data" }).click();
    await v.page.getByLabel("Your e-mail address").fill(l.email);
    await v.page.getByRole("button", { name: "Send request" }).click();
    await v.page.getByRole("heading", { name: "Check your e-mail" }).waitFor();
    await check(v.page, "request-code");
    await v.page.getByLabel("Code").fill("000000");
    await v.page.getByRole("button", { name: "Confirm" }).click();
    await v.page.getByRole("alert").getByText("The code is not right").waitFor();
    await v.page.getByLabel("Code").fill(await codeFor(h.smtp, l.email, since));
    await v.page.getByRole("button", { name: "Confirm" }).click();
    await v.page.getByRole("status").getByText("Request confirmed").waitFor();
    await waitForStatus(v.page, "Completed");
    await v.page.getByRole("heading", { name: "What has happened" }).waitFor();
    await expect(v.page.getByText("You confirmed it is you.").count()).resolves.toBe(1);
    await check(v.page, "request-status");
    const [download] = await Promise.all([
      v.page.waitForEvent("download"),
      v.page.getByRole("link", { name: "Download your data" }).click(),
    ]);
    const path = await download.path();
    const { readFileSync } = await import("node:fs");
    const files = unzipSync(new Uint8Array(readFileSync(path)));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(["data.json", "report.html"]));
    expect(new TextDecoder().decode(files["data.json"])).toContain(l.email);
    // Neither the address nor a token ever went into a URL.
    expect(v.urls.filter((u) => u.includes(l.email) || u.includes(encodeURIComponent(l.email)))).toEqual([]);
    expect(v.urls.filter((u) => /token=|sig=/.test(u))).toEqual([]);
    expect(v.problems).toEqual([]);
    await v.context.close();
  }, 120_000);

  it("shows an erasure approved in the console as completed to the person, and a viewer cannot approve", async () => {
    const l = await learner();
    const person = await visit("/?jurisdiction=eea");
    const id = await makeRequest(person, "Delete your data", l.email);
    await waitForStatus(person.page, "In review");

    const viewer = await signIn("viewer");
    await viewer.page.goto(`${base}/admin/requests/${id}`);
    await viewer.page.getByText("can read but not act").waitFor();
    await expect(viewer.page.getByRole("button", { name: "Approve and carry out" }).count()).resolves.toBe(0);
    const csrf = await viewer.page.locator('input[name="csrf"]').first().inputValue();
    const refused = await viewer.page.request.post(`${base}/admin/requests/${id}/approve`, { form: { csrf } });
    expect(refused.status()).toBe(403);
    expect((await h.service.get(id)).status).toBe("awaiting_approval");
    await viewer.context.close();

    const approver = await signIn("approver");
    await approver.page.getByRole("link", { name: `Open request ${id.slice(0, 8)}` }).click();
    await approver.page.getByRole("heading", { name: "The plan" }).waitFor();
    await expect(approver.page.locator("figure.graph svg").count()).resolves.toBe(1);
    await check(approver.page, "console-request");
    await approver.page.getByRole("button", { name: "Approve and carry out" }).click();
    await approver.page.getByRole("status").getByText("Done: approve.").waitFor();
    expect(approver.problems).toEqual([]);
    await approver.context.close();

    await waitForStatus(person.page, "Completed");
    await person.page.getByText("Our privacy team approved the request.").waitFor();
    const left = await app.query("SELECT count(*)::int AS n FROM users WHERE email = $1", [l.email]);
    expect(left.rows[0].n).toBe(0);
    await person.context.close();
  }, 120_000);

  it("carries out a rectification with the details the form asks for", async () => {
    const l = await learner();
    const v = await visit("/?jurisdiction=eea");
    await makeRequest(v, "Correct your data", l.email, async (page) => {
      await check(page, "request-rectification");
      await page.getByLabel("First name").fill("Ada");
    });
    await waitForStatus(v.page, "Completed");
    const row = await app.query("SELECT first_name FROM users WHERE id = $1", [l.id]);
    expect(row.rows[0].first_name).toBe("Ada");
    await v.context.close();
  }, 120_000);

  it("sends a portable copy to the provider the person names (GDPR Art. 20(2))", async () => {
    const l = await learner();
    const received: { type: string | undefined; key: string | undefined; body: Buffer }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({
          type: req.headers["content-type"],
          key: String(req.headers["idempotency-key"] ?? ""),
          body: Buffer.concat(chunks),
        });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const inbox = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/inbox`;
    try {
      const v = await visit("/?jurisdiction=eea");
      const id = await makeRequest(v, "Take your data to another service", l.email, async (page) => {
        await page.getByLabel("Send it to another provider").check();
        await page.getByLabel("The provider's address for receiving data").fill(inbox);
      });
      await waitForStatus(v.page, "Completed");
      const deadline = Date.now() + 30_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ type: "application/zip", key: id });
      const files = unzipSync(new Uint8Array(received[0]?.body ?? Buffer.alloc(0)));
      expect(new TextDecoder().decode(files["data.json"])).toContain(l.email);
      for (let i = 0; i < 20; i++) {
        await v.page.reload();
        if ((await v.page.getByText("We sent your data to the provider you named.").count()) > 0) break;
        await v.page.waitForTimeout(250);
      }
      await v.page.getByText("We sent your data to the provider you named.").waitFor();
      await v.context.close();
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  }, 120_000);

  it("changes the decision when the choices change, with JavaScript off too", async () => {
    const shown = await visit("/choices?jurisdiction=eea");
    await check(shown.page, "choices");
    await shown.context.close();
    const v = await visit("/choices?jurisdiction=eea", { js: false });
    const device = (await v.context.cookies()).find((c) => c.name === "stw_device")?.value;
    expect(device).toBeTruthy();
    const subject = `device:${device}`;
    const before = await h.service.ctx.consent.decide(subject, "marketing_email", "eea");
    expect(before).toMatchObject({ allowed: false, code: "default_opt_in" });
    const box = v.page.getByRole("checkbox", { name: /^Allow Marketing e-mails/ });
    await expect(box.isChecked()).resolves.toBe(false);
    await box.check();
    await v.page.getByRole("button", { name: "Save my choices" }).click();
    await v.page.getByRole("status").getByText("Your choices are saved").waitFor();
    expect(await h.service.ctx.consent.decide(subject, "marketing_email", "eea")).toMatchObject({
      allowed: true,
      code: "consent_given",
    });
    await expect(v.page.getByRole("checkbox", { name: /^Allow Marketing e-mails/ }).isChecked()).resolves.toBe(true);
    await v.page.getByRole("checkbox", { name: /^Allow Marketing e-mails/ }).uncheck();
    await v.page.getByRole("button", { name: "Save my choices" }).click();
    await v.page.getByRole("status").getByText("Your choices are saved").waitFor();
    expect(await h.service.ctx.consent.decide(subject, "marketing_email", "eea")).toMatchObject({
      allowed: false,
      code: "withdrawn",
    });
    const history = await h.service.ctx.consent.history(subject);
    expect(history.map((e) => `${e.purpose}:${e.status}:${e.method}`)).toEqual([
      "marketing_email:granted:preferences",
      "marketing_email:withdrawn:preferences",
    ]);
    await v.context.close();
  });

  it("shows the Global Privacy Control signal it honoured, on a phone, in German", async () => {
    const v = await visit("/choices?jurisdiction=us_ca", { gpc: true, viewport: PHONE, locale: "de-DE" });
    await v.page.getByRole("heading", { name: "Ihr Browser sendet Global Privacy Control" }).waitFor();
    expect(await v.page.getAttribute("html", "lang")).toBe("de");
    await check(v.page, "choices-gpc", "phone");
    const device = (await v.context.cookies()).find((c) => c.name === "stw_device")?.value;
    // A first look records nothing; the signal is recorded when the visitor comes back (or saves).
    await expect(h.service.ctx.consent.history(`device:${device}`)).resolves.toEqual([]);
    await v.page.reload();
    const history = await h.service.ctx.consent.history(`device:${device}`);
    expect(history.length).toBeGreaterThan(0);
    expect(history.every((e) => e.status === "withdrawn" && e.method === "gpc")).toBe(true);
    const sale = history[0]?.purpose ?? "";
    const decision = await h.service.ctx.consent.decide(`device:${device}`, sale, "us_ca");
    expect(decision).toMatchObject({ allowed: false, code: "gpc" });
    await v.context.close();
  });

  it("orders the queue by due date and marks the overdue request", async () => {
    const made = [];
    for (const jurisdiction of ["us_ca", "eea", "us_va"]) {
      const r = await h.service.submit({
        type: "access",
        identity: { email: `queue.${jurisdiction}@example.net` },
        jurisdiction,
      });
      made.push(r.row.id);
    }
    // One request's clock is past its due date (as if received long ago and never answered).
    const overdueId = made[1] ?? "";
    await h.store.db
      .updateTable("requests")
      .set({ due_at: new Date(Date.now() - 3 * 86_400_000) })
      .where("id", "=", overdueId)
      .execute();
    const v = await signIn("approver");
    await check(v.page, "console-queue");
    const rows = v.page.locator("#queue tbody tr");
    await expect(rows.first().getAttribute("data-id")).resolves.toBe(overdueId);
    await expect(rows.first().getAttribute("class")).resolves.toContain("overdue");
    await expect(
      rows
        .first()
        .getByText(/days? overdue/)
        .count(),
    ).resolves.toBe(1);
    const dues = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-due") ?? ""));
    const times = dues.filter(Boolean).map((t) => Date.parse(t));
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // Requests without a due date yet (a clock that starts at verification) come after those with one.
    expect(dues.slice(0, times.length).every(Boolean)).toBe(true);
    await v.page.getByLabel("Overdue only").check();
    await v.page.getByRole("button", { name: "Apply filters" }).click();
    await expect(rows.count()).resolves.toBe(1);
    // A few weeks of choices, as an import from an earlier consent tool would bring them.
    const day = 86_400_000;
    await h.service.ctx.consent.record(
      Array.from({ length: 60 }, (_, i) => ({
        subject: `device:imported_device_${String(i).padStart(4, "0")}`,
        purpose: i % 3 === 0 ? "session_replay" : "marketing_email",
        status: i % 4 === 0 ? ("withdrawn" as const) : ("granted" as const),
        method: "import" as const,
        jurisdiction: "eea",
        actor: "test",
        at: new Date(Date.now() - (i % 25) * day - 3_600_000),
      })),
    );
    await v.page.goto(`${base}/admin/consent`);
    await expect(v.page.locator(".chart svg rect").count()).resolves.toBeGreaterThan(20);
    await check(v.page, "console-consent");
    await v.page.getByLabel("Method").selectOption("gpc");
    await v.page.getByRole("button", { name: "Apply filters" }).click();
    await expect(v.page.locator(".chart svg rect.bar-granted").count()).resolves.toBe(0);
    await v.page.goto(`${base}/admin/records`);
    await v.page.locator("figure.graph svg").waitFor();
    await check(v.page, "console-records");
    expect(v.problems).toEqual([]);
    await v.page.getByRole("button", { name: "Sign out" }).click();
    await v.page.getByText("You have signed out.").waitFor();
    await check(v.page, "console-sign-in");
    await v.page.goto(`${base}/admin`);
    await v.page.getByRole("heading", { name: "Sign in to the privacy console" }).waitFor();
    await v.context.close();
  }, 120_000);

  it("works by keyboard alone: the skip link first, visible focus, and a request form sent with Enter", async () => {
    const v = await visit("/?jurisdiction=eea");
    await v.page.keyboard.press("Tab");
    const first = await v.page.evaluate(() => ({
      text: document.activeElement?.textContent,
      outline: getComputedStyle(document.activeElement as Element).outlineStyle,
    }));
    expect(first).toEqual({ text: "Skip to main content", outline: "solid" });
    await v.page.keyboard.press("Enter");
    await v.page.goto(`${base}/request`);
    // Tab to the first request type, choose it with Space, and send with Enter.
    for (let i = 0; i < 30; i++) {
      await v.page.keyboard.press("Tab");
      if (await v.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name === "type")) break;
    }
    await v.page.keyboard.press("Space");
    await v.page.keyboard.press("Enter");
    await v.page.getByLabel("Your e-mail address").waitFor();
    await check(v.page, "request-details");
    await v.context.close();
  });

  it("saves choices and approves a request by keyboard alone", async () => {
    /** Tabs until the focused element matches the selector, at most 80 times. */
    const tabTo = async (page: Page, selector: string) => {
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press("Tab");
        if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
      }
      throw new Error(`could not reach ${selector} with Tab`);
    };
    const v = await visit("/choices?jurisdiction=eea");
    await tabTo(v.page, 'input[value="surveys"]');
    await v.page.keyboard.press("Space");
    await tabTo(v.page, 'form[action="/choices"] button');
    await v.page.keyboard.press("Enter");
    await v.page.getByRole("status").getByText("Your choices are saved").waitFor();
    const device = (await v.context.cookies()).find((c) => c.name === "stw_device")?.value;
    expect(await h.service.ctx.consent.decide(`device:${device}`, "surveys", "eea")).toMatchObject({ allowed: true });
    await v.context.close();

    const l = await learner();
    const person = await visit("/?jurisdiction=eea");
    const id = await makeRequest(person, "Delete your data", l.email);
    await person.context.close();
    const { key } = await createApiKey(h.store.db, {
      name: `kbd-${Math.random().toString(36).slice(2, 8)}`,
      role: "approver",
    });
    const c = await visit("/admin");
    await tabTo(c.page, "#key");
    await c.page.keyboard.type(key);
    await c.page.keyboard.press("Enter");
    await c.page.getByRole("heading", { name: "Requests", exact: true }).waitFor();
    await tabTo(c.page, `a[href="/admin/requests/${id}"]`);
    await c.page.keyboard.press("Enter");
    await c.page.getByRole("heading", { name: `Request ${id.slice(0, 8)}` }).waitFor();
    await tabTo(c.page, 'form[action$="/approve"] button');
    const outline = await c.page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).toBe("solid");
    await c.page.keyboard.press("Enter");
    await c.page.getByRole("status").getByText("Done: approve.").waitFor();
    expect(["in_progress", "completed", "partially_completed"]).toContain((await h.service.get(id)).status);
    await c.context.close();
  }, 120_000);

  it("has no WCAG 2.1 AA violation on any page at a phone's size, nor a CSP report", async () => {
    const approver = await signIn("approver", PHONE);
    const someone = (await h.service.list({ limit: 1 })).requests[0]?.id ?? "";
    for (const path of [
      "/",
      "/request",
      "/request/details?type=portability",
      "/request/details?type=rectification",
      "/choices?jurisdiction=eea",
      "/notice/history",
      "/?lang=de",
    ]) {
      const v = await visit(path, { viewport: PHONE });
      await check(v.page, path === "/" ? "home" : path.replace(/[/?=&.]+/g, "-").replace(/^-|-$/g, ""), "phone");
      expect(v.problems, path).toEqual([]);
      await v.context.close();
    }
    for (const path of ["/admin", `/admin/requests/${someone}`, "/admin/consent", "/admin/records"]) {
      await approver.page.goto(`${base}${path}`);
      await check(
        approver.page,
        path
          .replace(/\/[0-9a-f-]{36}$/, "/request")
          .replace(/\//g, "-")
          .slice(1) || "admin",
        "phone",
      );
    }
    expect(approver.problems).toEqual([]);
    await approver.context.close();
    if (SHOTS) {
      const v = await visit("/notice/history");
      await check(v.page, "notice-history");
      await v.context.close();
    }
  }, 120_000);
});
