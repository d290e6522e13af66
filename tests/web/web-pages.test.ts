/**
 * The privacy center and the admin console over HTTP (in-process, the reference manifest, an embedded store, a real
 * SMTP server): the security headers and the strict CSP on every page, no inline code, output escaped, the forms'
 * errors, the session cookie and the form tokens, the roles, the locale, and the German catalogue against the
 * English one. What only a browser can show (axe, the keyboard, downloads, JavaScript off) is in web-browser.test.ts.
 */
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../../src/auth/api-keys.ts";
import { DE } from "../../src/i18n/messages-de.ts";
import { EN } from "../../src/i18n/messages-en.ts";
import { pickLocale, translator } from "../../src/i18n/translate.ts";
import { type ConsentHarness, startConsentHarness } from "../consent/consent-fixture.ts";
import { codeFor } from "../requests/smtp-sink.ts";

let h: ConsentHarness;

beforeAll(async () => {
  h = await startConsentHarness({ inMemory: true }, {}, { approvalTypes: ["erasure"] });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

/** Cookies set by an answer, as name → value, and the raw header lines. */
function cookiesOf(res: LightMyRequestResponse): { jar: Record<string, string>; lines: string[] } {
  const raw = res.headers["set-cookie"];
  const lines = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
  const jar: Record<string, string> = {};
  for (const line of lines) {
    const [pair = ""] = line.split(";");
    const eq = pair.indexOf("=");
    jar[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { jar, lines };
}

const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");

const form = (fields: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p.toString();
};

const post = (url: string, fields: Record<string, string | string[]>, cookie = "", headers = {}) =>
  h.app.inject({
    method: "POST",
    url,
    payload: form(fields),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie, ...headers },
  });

/** Signs in to the console with a key of the role; the session cookie. */
async function signIn(role: "admin" | "approver" | "viewer"): Promise<{ cookie: string; csrf: string }> {
  const res = await post("/admin/sign-in", { key: await h.key(role) });
  expect(res.statusCode).toBe(303);
  const cookie = cookieHeader(cookiesOf(res).jar);
  const page = await h.app.inject({ url: "/admin", headers: { cookie } });
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!csrf) throw new Error("no form token on the console");
  return { cookie, csrf };
}

function expectSafePage(res: LightMyRequestResponse, lang = "en") {
  expect(res.headers["content-type"]).toMatch(/^text\/html/);
  const csp = String(res.headers["content-security-policy"]);
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(res.headers["x-content-type-options"]).toBe("nosniff");
  expect(res.headers["referrer-policy"]).toBe("same-origin");
  expect(res.body).toContain(`<html lang="${lang}">`);
  // No inline script (every <script> has a src), no inline style, no event-handler attribute.
  expect(res.body.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []).toEqual([]);
  expect(res.body.match(/<style\b|\sstyle="/g) ?? []).toEqual([]);
  expect(res.body.match(/\son[a-z]+="/g) ?? []).toEqual([]);
}

describe("the message catalogues", () => {
  it("give every English message in German, with the same placeholders", () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const keys = Object.keys(EN) as (keyof typeof EN)[];
    expect(keys.length).toBeGreaterThan(300);
    for (const key of keys) {
      expect(DE[key], key).toBeTruthy();
      expect(placeholders(DE[key]), key).toEqual(placeholders(EN[key]));
    }
    expect(Object.keys(DE).sort()).toEqual([...keys].sort());
  });

  it("pick the locale from the choice, else Accept-Language by q-value, else English", () => {
    expect(pickLocale(undefined, "de-DE,de;q=0.9,en;q=0.8")).toBe("de");
    expect(pickLocale(undefined, "fr-FR, en;q=0.5")).toBe("en");
    expect(pickLocale(undefined, "en;q=0.1, de-AT;q=0.9")).toBe("de");
    expect(pickLocale("en", "de")).toBe("en");
    expect(pickLocale("xx", undefined)).toBe("en");
    const t = translator("de", "Europe/Berlin");
    expect(t.date(new Date("2026-12-02T12:00:00Z"))).toBe("2. Dezember 2026");
    expect(t.plural("admin.queue.days_left", 1)).not.toBe(t.plural("admin.queue.days_left", 3));
  });
});

describe("the privacy center", () => {
  it("serves every page with the strict CSP, no inline code, in the reader's language", async () => {
    for (const url of [
      "/",
      "/?jurisdiction=us_ca",
      "/request",
      "/request/details?type=access",
      "/request/details?type=rectification",
      "/request/details?type=portability",
      "/choices",
      "/notice/history",
      "/notice/revisions",
    ]) {
      const res = await h.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expectSafePage(res);
    }
    const de = await h.app.inject({ url: "/", headers: { "accept-language": "de-DE,de;q=0.9" } });
    expectSafePage(de, "de");
    expect(de.body).toContain("Ihre Privatsphäre");
    const chosen = await h.app.inject({ url: "/request?lang=de", headers: { "accept-language": "en" } });
    expectSafePage(chosen, "de");
    expect(cookiesOf(chosen).jar["stw_lang"]).toBe("de");
    const css = await h.app.inject({ url: "/assets/steward.css" });
    expect(css.headers["content-type"]).toMatch(/^text\/css/);
  });

  it("lists every revision of the notice on /notice/history, the material ones marked", async () => {
    const res = await h.app.inject({ url: "/notice/history" });
    const revisions = h.manifest.notice?.revisions ?? [];
    expect(revisions.length).toBeGreaterThan(10);
    for (const r of revisions) {
      expect(res.body).toContain(`<time datetime="${r.date}">`);
      expect(res.body).toContain(r.summary.replaceAll("'", "&#39;"));
    }
    expect(res.body.match(/Material change/g)?.length).toBe(revisions.filter((r) => r.material).length);
  });

  it("shows the rights of the visitor's jurisdiction, guessed from the browser and changed by the visitor", async () => {
    const guessed = await h.app.inject({ url: "/", headers: { "accept-language": "en-GB,en;q=0.8" } });
    expect(guessed.body).toContain("Your rights in United Kingdom");
    const ca = await h.app.inject({ url: "/?jurisdiction=us_ca" });
    expect(ca.body).toContain("Your rights in California");
    expect(ca.body).toContain("Opt out of the sale and sharing of your data");
    expect(cookiesOf(ca).jar["stw_jurisdiction"]).toBe("us_ca");
    // The choice is remembered: the request page offers California's types.
    const request = await h.app.inject({ url: "/request", headers: { cookie: "stw_jurisdiction=us_ca" } });
    expect(request.body).toContain('value="opt_out_sale_sharing"');
    const eea = await h.app.inject({ url: "/request", headers: { cookie: "stw_jurisdiction=eea" } });
    expect(eea.body).not.toContain('value="opt_out_sale_sharing"');
    expect(eea.body).toContain('value="objection"');
    // The uses open to an objection by request are listed only where an objection can be made.
    const choicesEea = await h.app.inject({ url: "/choices?jurisdiction=eea" });
    expect(choicesEea.body).toContain("Uses based on our legitimate interests");
    const choicesCa = await h.app.inject({ url: "/choices?jurisdiction=us_ca" });
    expect(choicesCa.body).not.toContain("Uses based on our legitimate interests");
    expect(choicesCa.body).not.toContain("type=objection");
  });

  it("takes a request through its form: errors summarised and beside the field, then the code, then the status", async () => {
    const empty = await post("/request", { type: "access", jurisdiction: "eea", email: "" });
    expect(empty.statusCode).toBe(400);
    expectSafePage(empty);
    expect(empty.body).toContain("<title>Error: ");
    expect(empty.body).toMatch(/class="error-summary"[\s\S]*href="#email">Enter your e-mail address/);
    expect(empty.body).toContain('id="email-error"');
    const bad = await post("/request", { type: "access", jurisdiction: "eea", email: "not-an-address" });
    expect(bad.body).toContain("Enter an e-mail address in the right format");
    expect(bad.body).toContain('value="not-an-address"');
    const notOffered = await post("/request", {
      type: "opt_out_sale_sharing",
      jurisdiction: "eea",
      email: "a@b.example",
    });
    expect(notOffered.statusCode).toBe(400);
    expect(notOffered.body).toContain("Choose what you would like to do");

    const email = "web.person@example.net";
    const since = h.smtp.mails.length;
    const made = await post("/request", { type: "access", jurisdiction: "eea", email });
    expect(made.statusCode).toBe(303);
    const location = String(made.headers.location);
    expect(location).toMatch(/^\/requests\/[0-9a-f-]{36}$/);
    expect(location).not.toContain("example.net");
    const id = location.split("/")[2] ?? "";
    const set = cookiesOf(made);
    expect(set.lines.find((l) => l.startsWith(`stw_r_${id}=`))).toMatch(/Path=\/requests\/[0-9a-f-]+;.*HttpOnly/);
    const cookie = cookieHeader(set.jar);

    const waiting = await h.app.inject({ url: location, headers: { cookie } });
    expectSafePage(waiting);
    expect(waiting.body).toContain("Check your e-mail");
    const wrong = await post(`${location}/verify`, { code: "000000" }, cookie);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain("The code is not right");
    const code = await codeFor(h.smtp, email, since);
    const right = await post(`${location}/verify`, { code }, cookie);
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe(`${location}?confirmed=1`);
    const after = cookieHeader({ ...set.jar, ...cookiesOf(right).jar });
    const status = await h.app.inject({ url: `${location}?confirmed=1&lang=de`, headers: { cookie: after } });
    expectSafePage(status, "de");
    expect(status.body).toContain("Anfrage bestätigt");
    expect(status.body).toContain("Sie haben bestätigt");
    // An id that is none is a plain "not found", in the center and the console.
    const bogus = await h.app.inject({ url: "/requests/not-an-id" });
    expect(bogus.statusCode).toBe(404);
    expectSafePage(bogus);
    const verifyBogus = await post("/requests/../../etc/verify", { code: "123456" });
    expect(verifyBogus.statusCode).toBe(404);
    // Without the cookie, the request is not shown (nor that it exists).
    const stranger = await h.app.inject({ url: location });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.body).not.toContain("Get a copy");
  });

  it("voids every token handed out before the proof: who typed the address first sees nothing once the person proves it", async () => {
    const email = "token.owner@example.net";
    const inbox = h.smtp.mails.length;
    const first = await post("/request", { type: "erasure", jurisdiction: "eea", email });
    const location = String(first.headers.location);
    const cookieA = cookieHeader(cookiesOf(first).jar);
    expect((await h.app.inject({ url: location, headers: { cookie: cookieA } })).body).toContain("Check your e-mail");
    // The person asks too: the open request is joined and no token is handed out; the code is in their inbox.
    const second = await post("/request", { type: "erasure", jurisdiction: "eea", email });
    expect(second.headers.location).toBe(location);
    expect(cookiesOf(second).lines.filter((l) => l.startsWith("stw_r_"))).toEqual([]);
    const code = await codeFor(h.smtp, email, inbox);
    const proven = await post(`${location}/verify`, { code });
    expect(proven.statusCode).toBe(303);
    const cookieB = cookieHeader(cookiesOf(proven).jar);
    const mine = await h.app.inject({ url: location, headers: { cookie: cookieB } });
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain("In review");
    const theirs = await h.app.inject({ url: location, headers: { cookie: cookieA } });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).not.toContain("In review");
    const download = await h.app.inject({ url: `${location}/download`, headers: { cookie: cookieA } });
    expect(download.statusCode).toBe(403);
    // A third person typing the address learns nothing: no id, no status.
    const third = await post("/request", { type: "erasure", jurisdiction: "eea", email });
    expect(third.statusCode).toBe(202);
    expect(third.body).toContain("We already have this request");
    expect(third.body).not.toContain(location.split("/")[2] ?? "");
    expect(cookiesOf(third).lines.filter((l) => l.startsWith("stw_r_"))).toEqual([]);
  });

  it("records exactly the choices that changed, none for a form sent again, and a GPC signal only once it is known", async () => {
    const first = await h.app.inject({ url: "/choices?jurisdiction=eea", headers: { "sec-gpc": "1" } });
    expect(first.body).toContain("Your browser sends Global Privacy Control");
    const jar = cookiesOf(first).jar;
    const device = jar["stw_device"] ?? "";
    const subject = `device:${device}`;
    // A first look writes nothing to the ledger.
    expect(await h.service.ctx.consent.history(subject)).toEqual([]);
    const token = /name="token" value="([^"]+)"/.exec(first.body)?.[1] ?? "";
    const shown = [...first.body.matchAll(/name="shown" value="([^"]+)"/g)].map((m) => m[1] ?? "");
    const on = [...first.body.matchAll(/name="allow" value="([^"]+)" checked/g)].map((m) => m[1] ?? "");
    expect(shown).toContain("marketing_email");
    expect(on).not.toContain("marketing_email");
    const send = (allow: string[]) =>
      post("/choices", { token, jurisdiction: "eea", shown, allow }, cookieHeader(jar), {
        "sec-gpc": "1",
        origin: "http://localhost:80",
        host: "localhost:80",
      });
    const saved = await send([...on, "marketing_email"]);
    expect(saved.statusCode).toBe(303);
    const events = await h.service.ctx.consent.history(subject);
    expect(events.map((e) => `${e.purpose}:${e.status}:${e.method}`).sort()).toEqual(
      [
        "marketing_email:granted:preferences",
        ...h.manifest.purposes
          .filter((p) => p.sale_or_sharing || p.data_use.startsWith("marketing.advertising"))
          .map((p) => `${p.key}:withdrawn:gpc`),
      ].sort(),
    );
    const again = await send([...on, "marketing_email"]);
    expect(again.statusCode).toBe(303);
    expect((await h.service.ctx.consent.history(subject)).length).toBe(events.length);
    // A form posted from another site is refused.
    const cross = await post("/choices", { token, jurisdiction: "eea", shown, allow: [] }, cookieHeader(jar), {
      origin: "https://evil.example",
    });
    expect(cross.statusCode).toBe(403);
    expect((await h.service.ctx.consent.history(subject)).length).toBe(events.length);
  });

  it("takes a person signed in to the host application without a code, and refuses a forged sign-in", async () => {
    const forged = await post("/signed-in", { account_token: "not.a.jwt" });
    expect(forged.statusCode).toBe(401);
    expect(forged.body).toContain("could not be checked");
    const token = await h.hostToken({ email: "signed.in@example.net" });
    const signed = await post("/signed-in", { account_token: token });
    expect(signed.statusCode).toBe(303);
    const line = cookiesOf(signed).lines.find((l) => l.startsWith("stw_account=")) ?? "";
    expect(line).toMatch(/HttpOnly/);
    const cookie = cookieHeader(cookiesOf(signed).jar);
    const details = await h.app.inject({ url: "/request/details?type=access", headers: { cookie } });
    expect(details.body).toContain("You are signed in as s…@example.net");
    expect(details.body).not.toContain('name="email"');
    const made = await post("/request", { type: "access", jurisdiction: "eea" }, cookie);
    expect(made.statusCode).toBe(303);
    expect(String(made.headers.location)).toMatch(/\?confirmed=1$/);
    const id = String(made.headers.location).split("/")[2]?.split("?")[0] ?? "";
    const row = await h.service.get(id);
    expect(row.verification_method).toBe("account");
  });

  it("refuses a choice not sent from its own page (form token), with a coded error page", async () => {
    const page = await h.app.inject({ url: "/choices?jurisdiction=eea" });
    const jar = cookiesOf(page).jar;
    const forged = await post(
      "/choices",
      { jurisdiction: "eea", shown: "marketing_email", allow: "marketing_email" },
      cookieHeader(jar),
    );
    expect(forged.statusCode).toBe(403);
    expectSafePage(forged);
    expect(forged.body).toContain("STW_WEB_FORM_EXPIRED");
    expect(forged.body).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe("the admin console", () => {
  it("sends a visitor without a session to sign in, refuses a bad key, and signs in and out", async () => {
    const away = await h.app.inject({ url: "/admin" });
    expect(away.statusCode).toBe(303);
    expect(away.headers.location).toBe("/admin/sign-in");
    const signIn = await h.app.inject({ url: "/admin/sign-in" });
    expectSafePage(signIn);
    expect(signIn.body).toContain('type="password"');
    const bad = await post("/admin/sign-in", { key: "stw_not-a-key" });
    expect(bad.statusCode).toBe(401);
    expect(bad.body).toContain("This key is not valid, or it was revoked");
    expect(bad.body).toContain("<title>Error: ");

    const good = await post("/admin/sign-in", { key: await h.key("approver") });
    const line = cookiesOf(good).lines.find((l) => l.startsWith("stw_admin=")) ?? "";
    expect(line).toMatch(/Path=\/admin/);
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Strict/);
    const cookie = cookieHeader(cookiesOf(good).jar);
    for (const url of ["/admin", "/admin/consent", "/admin/records", "/admin?status=all&overdue=1"]) {
      const res = await h.app.inject({ url, headers: { cookie } });
      expect(res.statusCode, url).toBe(200);
      expectSafePage(res);
    }
    const missing = await h.app.inject({ url: "/admin/requests/no-such-request", headers: { cookie } });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain("STW_REQUEST_NOT_FOUND");
    const ropa = await h.app.inject({ url: "/admin/records/ropa.csv", headers: { cookie } });
    expect(ropa.headers["content-type"]).toMatch(/^text\/csv/);
    expect(ropa.body.split("\n").length).toBeGreaterThan(5);

    const page = await h.app.inject({ url: "/admin", headers: { cookie } });
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
    const noToken = await post("/admin/sign-out", {}, cookie);
    expect(noToken.statusCode).toBe(403);
    const out = await post("/admin/sign-out", { csrf }, cookie);
    expect(out.headers.location).toBe("/admin/sign-in?out=1");
    // The old cookie opens nothing any more.
    const reused = await h.app.inject({ url: "/admin", headers: { cookie } });
    expect(reused.statusCode).toBe(303);
    expect(reused.headers.location).toBe("/admin/sign-in?expired=1");
  });

  it("ends a session when its key is revoked, and refuses an action without the session's form token", async () => {
    const { key } = await createApiKey(h.store.db, { name: "soon-revoked", role: "approver" });
    const res = await post("/admin/sign-in", { key });
    const cookie = cookieHeader(cookiesOf(res).jar);
    const made = await h.service.submit({
      type: "access",
      identity: { email: "csrf.test@example.net" },
      jurisdiction: "eea",
    });
    const forged = await post(`/admin/requests/${made.row.id}/cancel`, {}, cookie);
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain("STW_WEB_FORM_EXPIRED");
    expect((await h.service.get(made.row.id)).status).toBe("awaiting_verification");
    expect((await h.app.inject({ url: "/admin", headers: { cookie } })).statusCode).toBe(200);
    await revokeApiKey(h.store.db, "soon-revoked");
    const after = await h.app.inject({ url: "/admin", headers: { cookie } });
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe("/admin/sign-in?expired=1");
  });

  it("lets an approver act, refuses a viewer, and escapes what people and operators typed", async () => {
    const made = await h.service.submit({
      type: "access",
      identity: { email: "escape.test@example.net" },
      jurisdiction: "eea",
    });
    const id = made.row.id;
    const viewer = await signIn("viewer");
    const seen = await h.app.inject({ url: `/admin/requests/${id}`, headers: { cookie: viewer.cookie } });
    expectSafePage(seen);
    expect(seen.body).toContain("can read but not act");
    expect(seen.body).not.toContain(`action="/admin/requests/${id}/deny"`);
    expect(seen.body).toContain("e…@example.net");
    expect(seen.body).not.toContain("escape.test@example.net");
    const refused = await post(`/admin/requests/${id}/deny`, { csrf: viewer.csrf, reason: "no" }, viewer.cookie);
    expect(refused.statusCode).toBe(403);
    expect((await h.service.get(id)).status).toBe(made.row.status);

    const approver = await signIn("approver");
    const actions = await h.app.inject({ url: `/admin/requests/${id}`, headers: { cookie: approver.cookie } });
    expect(actions.body).toContain(`action="/admin/requests/${id}/deny"`);
    const missing = await post(`/admin/requests/${id}/hold`, { csrf: approver.csrf, reason: "" }, approver.cookie);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('href="#hold-reason">Give a reason');
    const reason = '<script>alert("x")</script> & more';
    const held = await post(`/admin/requests/${id}/hold`, { csrf: approver.csrf, reason }, approver.cookie);
    expect(held.statusCode).toBe(303);
    const shown = await h.app.inject({ url: `/admin/requests/${id}?done=hold`, headers: { cookie: approver.cookie } });
    expectSafePage(shown);
    expect(shown.body).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more");
    expect(shown.body).not.toContain(reason);
  });
});
