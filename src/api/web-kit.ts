/**
 * What the web faces' routes share: the security headers of every page (a strict Content-Security-Policy: scripts and
 * styles only from this origin's files, no inline code, no framing), the reader's locale (the switcher's `?lang=` or
 * cookie, else Accept-Language) and time zone, cookies set safely, and HTML error pages for coded errors.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isStewardError, stewardError } from "../errors.ts";
import { formattingLocale, LOCALES, type Locale, pickLocale, type Translator, translator } from "../i18n/translate.ts";
import { html } from "../web/html.ts";
import { page } from "../web/layout.ts";

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/**
 * Adds the pages' security headers to every answer of the plugin it is called in, and refuses a form posted from
 * another site: browsers send `Origin` with every POST, and a form of ours comes from our own host (this also covers
 * the sign-in forms, which have no session to bind a token to).
 */
export function securePages(app: FastifyInstance): void {
  app.addHook("onRequest", async (request) => {
    if (request.method !== "POST") return;
    const origin = request.headers.origin;
    if (origin === undefined) return;
    // Both sides normalised by URL (a default port is dropped from either).
    let same = false;
    try {
      const from = new URL(origin);
      same = from.host === new URL(`${from.protocol}//${request.headers.host ?? ""}`).host;
    } catch {
      same = false;
    }
    if (!same) throw stewardError("STW_WEB_FORM_EXPIRED", {});
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    reply.header("content-security-policy", CSP);
    reply.header("x-content-type-options", "nosniff");
    reply.header("x-frame-options", "DENY");
    // same-origin, not no-referrer: our own forms must carry their Origin for the check above (no-referrer makes it
    // "null"); other sites still learn nothing of the page a visitor came from.
    reply.header("referrer-policy", "same-origin");
    reply.header("cross-origin-opener-policy", "same-origin");
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    return payload;
  });
}

export type Query = Readonly<Record<string, string | undefined>>;

export const queryOf = (request: FastifyRequest): Query => (request.query ?? {}) as Query;
export const bodyOf = (request: FastifyRequest): Readonly<Record<string, string | string[] | undefined>> =>
  (request.body && typeof request.body === "object" ? request.body : {}) as Record<string, string | string[]>;
/** A form value as one string (the first when sent twice). */
export const one = (value: string | string[] | undefined): string =>
  (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
/** A form value as a list (checkboxes of one name). */
export const many = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Secure cookies only where the page is served over https (a local http server keeps working). */
export const secureCookies = (request: FastifyRequest): boolean =>
  request.protocol === "https" || (process.env["STEWARD_PUBLIC_URL"] ?? "").startsWith("https:");

/**
 * Every cookie of the pages: HttpOnly, Secure where served over https, SameSite=Lax unless told Strict (the
 * console's session), for the path given; without `maxAge` it lasts the browser session.
 */
export const pageCookie = (
  request: FastifyRequest,
  path: string,
  options: { readonly maxAge?: number; readonly sameSite?: "lax" | "strict" } = {},
) => ({
  path,
  sameSite: options.sameSite ?? ("lax" as const),
  httpOnly: true,
  secure: secureCookies(request),
  ...(options.maxAge !== undefined ? { maxAge: options.maxAge } : {}),
});

/** The locale a `?lang=` asks for, when it is one we have. */
const askedLocale = (request: FastifyRequest): Locale | undefined => {
  const asked = queryOf(request)["lang"];
  return asked && (LOCALES as readonly string[]).includes(asked) ? (asked as Locale) : undefined;
};

/** The reader's words: `?lang=`, else the switcher's cookie, else Accept-Language, else English. */
export function wordsFor(request: FastifyRequest, timeZone: string): Translator {
  const accept = request.headers["accept-language"];
  const locale = pickLocale(askedLocale(request) ?? request.cookies["stw_lang"], accept);
  return translator(locale, timeZone, formattingLocale(locale, accept));
}

/** The reader's words, remembering a `?lang=` choice in a cookie for a year. */
export function readerWords(request: FastifyRequest, reply: FastifyReply, timeZone: string): Translator {
  const chosen = askedLocale(request);
  if (chosen && chosen !== request.cookies["stw_lang"])
    reply.setCookie("stw_lang", chosen, pageCookie(request, "/", { maxAge: 365 * 86_400 }));
  return wordsFor(request, timeZone);
}

export const sendPage = (reply: FastifyReply, body: string, status = 200) =>
  reply.status(status).type("text/html; charset=utf-8").send(body);

/**
 * Coded errors on a page: the registry's message and fix with its code, in a page of the face; anything else is the
 * generic failure (its details are in the log, under the request id).
 */
export function htmlErrors(app: FastifyInstance, face: "center" | "admin", words: (r: FastifyRequest) => Translator) {
  app.setErrorHandler(async (error, request, reply) => {
    const t = words(request);
    const coded = isStewardError(error);
    const status = coded ? error.status : ((error as { statusCode?: number }).statusCode ?? 500);
    if (!coded || status >= 500) request.log.error({ err: error }, "page failed");
    const title = status === 404 ? t.t("common.not_found_title") : t.t("common.failed_title");
    const body = html`<h1>${title}</h1>
${coded ? html`<p>${error.detail}.</p><p>${error.fix}</p><p class="muted">${t.t("common.error_code", { code: error.code })}</p>` : html`<p>${t.t(status === 404 ? "common.not_found" : "common.failed")}</p>`}
<p><a href="${face === "admin" ? "/admin" : "/"}">${t.t("center.nav.home")}</a></p>`;
    const doc = page(
      { t, face, brand: "Steward", brandHref: face === "admin" ? "/admin" : "/", title, url: request.url, nav: [] },
      body,
    );
    return sendPage(reply, doc, status);
  });
}
