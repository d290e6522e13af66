/**
 * The privacy center, at `/`: home, making a request and following it, the choices, the notice's history. Server-
 * rendered pages with plain forms (POST, then a redirect to a GET); every rule comes from the request service and the
 * consent ledger, the pages in src/web/center/ only put them in words. The request's token lives in a cookie scoped
 * to that request's pages, the visitor's device id in another: no personal data and no secret in a URL.
 */
import { randomBytes } from "node:crypto";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { applyPreferences } from "../../consent/apply-preferences.ts";
import { honourGpc } from "../../consent/gpc.ts";
import type { DrpService } from "../../drp/drp-service.ts";
import { isStewardError, stewardError } from "../../errors.ts";
import type { MessageKey, Translator } from "../../i18n/translate.ts";
import { REQUEST_TYPES, type RequestType } from "../../manifest/types.ts";
import { upcomingMaterialChange } from "../../notice/diff-notice.ts";
import { resolveJurisdiction } from "../../requests/jurisdiction.ts";
import type { RequestService } from "../../requests/request-service.ts";
import { sameSecret } from "../../secrets/keyed-hash.ts";
import { listNoticeVersions } from "../../store/sql/list-notice-versions.ts";
import type { CenterView } from "../../web/center/center-frame.ts";
import { choicesPage } from "../../web/center/choices-page.ts";
import { historyPage } from "../../web/center/history-page.ts";
import { homePage } from "../../web/center/home-page.ts";
import { chooseTypePage, type DetailsForm, detailsPage, setErrorHref } from "../../web/center/request-pages.ts";
import { joinedPage, statusPage, unknownRequestPage } from "../../web/center/status-page.ts";
import type { FieldError } from "../../web/layout.ts";
import {
  bodyOf,
  htmlErrors,
  many,
  one,
  pageCookie,
  queryOf,
  readerWords,
  securePages,
  sendPage,
  wordsFor,
} from "../web-kit.ts";

const DEVICE_COOKIE = "stw_device";
const ACCOUNT_COOKIE = "stw_account";
const requestCookie = (id: string) => `stw_r_${id.replace(/[^0-9a-f-]/gi, "")}`;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const privacyCenterRoutes =
  (deps: {
    readonly requests: RequestService;
    readonly rateLimitScale: number;
    /** The Data Rights Protocol, when served: a person an agent sent comes back to the agent once confirmed. */
    readonly drp?: DrpService | undefined;
  }): FastifyPluginAsync =>
  async (app) => {
    const { requests } = deps;
    const { manifest, consent, hash, config } = requests.ctx;
    const limited = (max: number) => ({ rateLimit: { max: max * deps.rateLimitScale, timeWindow: "1 minute" } });
    const hidden = { hide: true } as const;
    securePages(app);
    const words = (request: FastifyRequest, reply: FastifyReply): Translator =>
      readerWords(request, reply, config.timeZone);
    htmlErrors(app, "center", (r) => wordsFor(r, config.timeZone));

    const cookieOptions = (request: FastifyRequest, path: string, maxAge: number) =>
      pageCookie(request, path, { maxAge });

    /** The jurisdiction shown: the visitor's pick (remembered), else where their browser's language says, else the default. */
    const view = (request: FastifyRequest, reply: FastifyReply, declared?: string): CenterView => {
      const t = words(request, reply);
      const asked = declared ?? queryOf(request)["jurisdiction"];
      const known = (j: string | undefined) => manifest.rights.find((r) => r.jurisdiction === j);
      let rights = known(asked);
      if (rights && asked !== request.cookies["stw_jurisdiction"])
        reply.setCookie("stw_jurisdiction", rights.jurisdiction, cookieOptions(request, "/", 365 * 86_400));
      rights ??= known(request.cookies["stw_jurisdiction"]);
      if (!rights) {
        const region = /^[a-z]{2,3}-([a-z]{2})\b/i.exec(request.headers["accept-language"] ?? "")?.[1]?.toUpperCase();
        rights = resolveJurisdiction(manifest, undefined, region);
      }
      return { t, manifest, rights, url: request.url };
    };

    /** Today in the deployment's time zone, as `YYYY-MM-DD` (notice dates are days). */
    const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: config.timeZone }).format(requests.ctx.now());
    app.get("/", { schema: hidden }, async (request, reply) => {
      const upcoming = upcomingMaterialChange(await listNoticeVersions(requests.ctx.store.db), today());
      return sendPage(reply, homePage(view(request, reply), upcoming));
    });

    app.get("/request", { schema: hidden }, async (request, reply) =>
      sendPage(reply, chooseTypePage(view(request, reply))),
    );

    /** The person signed in to the host application: its token, posted here, stands in for the code. */
    app.post("/signed-in", { schema: hidden, config: limited(20) }, async (request, reply) => {
      const token = one(bodyOf(request)["account_token"]);
      const v = view(request, reply);
      const identity =
        token && requests.ctx.hostTokens
          ? await requests.ctx.hostTokens.verify(token).catch(() => undefined)
          : undefined;
      if (!identity)
        return sendPage(
          reply,
          chooseTypePage(v, [
            { field: "type", text: v.t.t("center.signed_in.bad", { org: manifest.organization?.name ?? "" }) },
          ]),
          401,
        );
      reply.setCookie(ACCOUNT_COOKIE, token, cookieOptions(request, "/", 30 * 60));
      return reply.redirect("/request", 303);
    });

    const signedIn = async (request: FastifyRequest) => {
      const token = request.cookies[ACCOUNT_COOKIE];
      if (!token || !requests.ctx.hostTokens) return undefined;
      const identity = await requests.ctx.hostTokens.verify(token).catch(() => undefined);
      return identity ? { token, identity } : undefined;
    };
    const shownAs = (identity: Readonly<Record<string, string>>) => {
      const email = identity["email"];
      return email ? email.replace(/^(.).*(@.*)$/, "$1…$2") : Object.keys(identity).join(", ");
    };

    const offeredType = (v: CenterView, type: string | undefined): RequestType | undefined =>
      type && (REQUEST_TYPES as readonly string[]).includes(type) && v.rights.requests.includes(type as RequestType)
        ? (type as RequestType)
        : undefined;

    app.get("/request/details", { schema: hidden }, async (request, reply) => {
      const v = view(request, reply);
      const type = offeredType(v, queryOf(request)["type"]);
      if (!type)
        return sendPage(reply, chooseTypePage(v, [{ field: "type", text: v.t.t("center.request.pick_one") }]), 400);
      const account = await signedIn(request);
      return sendPage(reply, detailsPage(v, type, {}, account ? { signedInAs: shownAs(account.identity) } : {}));
    });

    app.post("/request", { schema: hidden, config: limited(20) }, async (request, reply) => {
      const body = bodyOf(request);
      const v = view(request, reply, one(body["jurisdiction"]) || undefined);
      const { t } = v;
      const type = offeredType(v, one(body["type"]));
      if (!type)
        return sendPage(reply, chooseTypePage(v, [{ field: "type", text: t.t("center.request.pick_one") }]), 400);
      const account = await signedIn(request);
      const email = one(body["email"]);
      const set: Record<string, string> = {};
      for (const [name, value] of Object.entries(body))
        if (name.startsWith("set.") && one(value)) set[name.slice(4)] = one(value);
      const form: DetailsForm = {
        email,
        set,
        delivery: one(body["delivery"]) === "send" ? "send" : "file",
        destination: one(body["destination"]),
      };
      const errors: FieldError[] = [];
      if (!account && !email) errors.push({ field: "email", text: t.t("center.details.email_missing") });
      else if (!account && !EMAIL.test(email)) errors.push({ field: "email", text: t.t("center.details.email_bad") });
      if (type === "rectification" && Object.keys(set).length === 0)
        errors.push({ field: "set", text: t.t("center.details.rect_missing"), href: setErrorHref(manifest) });
      // Whether the address will do is the service's answer (STW_REQUEST_BAD_DETAILS below); an empty one is the form's.
      if (type === "portability" && form.delivery === "send" && !form.destination)
        errors.push({ field: "destination", text: t.t("center.details.destination_bad") });
      const again = (list: FieldError[], status = 400) =>
        sendPage(
          reply,
          detailsPage(v, type, form, { errors: list, ...(account ? { signedInAs: shownAs(account.identity) } : {}) }),
          status,
        );
      if (errors.length) return again(errors);
      const details =
        type === "rectification"
          ? { set }
          : type === "portability" && form.delivery === "send"
            ? { destination: form.destination }
            : undefined;
      try {
        const result = await requests.submit({
          type,
          identity: account ? account.identity : { email },
          jurisdiction: v.rights.jurisdiction,
          details,
          accountToken: account?.token,
        });
        if (result.token)
          reply.setCookie(
            requestCookie(result.row.id),
            result.token,
            cookieOptions(request, `/requests/${result.row.id}`, 90 * 86_400),
          );
        // A request joined without a token (someone else's, perhaps): nothing of it is shown — only where the code
        // goes, if it still waits for one.
        if (!result.token && result.row.status !== "awaiting_verification") return sendPage(reply, joinedPage(v), 202);
        return reply.redirect(
          `/requests/${result.row.id}${result.row.status === "awaiting_verification" ? "" : "?confirmed=1"}`,
          303,
        );
      } catch (error) {
        if (!isStewardError(error)) throw error;
        if (error.code === "STW_REQUEST_BAD_IDENTITY")
          return again([{ field: "email", text: t.t("center.details.email_bad") }]);
        if (error.code === "STW_ENGINE_BAD_SET")
          return again([{ field: "set", text: error.detail, href: setErrorHref(manifest) }]);
        if (error.code === "STW_REQUEST_BAD_DETAILS")
          return again([
            type === "portability"
              ? { field: "destination", text: t.t("center.details.destination_bad") }
              : type === "rectification"
                ? { field: "set", text: error.detail, href: setErrorHref(manifest) }
                : { field: "email", text: error.detail },
          ]);
        throw error;
      }
    });

    const requestId = (request: FastifyRequest): string => {
      // The service checks the id (STW_REQUEST_NOT_FOUND) before anything uses it.
      return (request.params as { id?: string }).id ?? "";
    };

    /** The status page of a request; its person's token comes from the cookie. */
    const showRequest = async (
      request: FastifyRequest,
      reply: FastifyReply,
      extras: { errors?: FieldError[]; notice?: "resent" | "confirmed"; returnTo?: string | undefined } = {},
      status = 200,
    ) => {
      const v = view(request, reply);
      const id = requestId(request);
      const token = request.cookies[requestCookie(id)];
      const personal = token ? await requests.forPerson(id, token).catch(() => undefined) : undefined;
      if (!personal) {
        // Someone who joined an open request, or lost the cookie, can still enter the code: the form shows nothing.
        const row = await requests.get(id).catch(() => undefined);
        if (row?.status === "awaiting_verification")
          return sendPage(
            reply,
            statusPage(v, { id, status: row.status, type: row.type } as Parameters<typeof statusPage>[1], extras),
            status,
          );
        return sendPage(reply, unknownRequestPage(v), 404);
      }
      const until =
        personal.status === "completed" || personal.status === "partially_completed"
          ? await requests.packageUntil(id)
          : undefined;
      const hasPackage = personal.type === "access" || personal.type === "portability";
      return sendPage(
        reply,
        statusPage(v, personal, {
          ...extras,
          ...(until && hasPackage ? { packageUntil: until } : {}),
          packageGone: hasPackage && !until && personal.status === "completed",
        }),
        status,
      );
    };

    app.get("/requests/:id", { schema: hidden, config: limited(60) }, async (request, reply) => {
      const q = queryOf(request);
      const returnTo = await deps.drp?.returnUrl(requestId(request), one(q["request_id"]), one(q["redirect_to"]));
      return showRequest(request, reply, {
        ...(q["confirmed"] ? { notice: "confirmed" as const } : q["sent"] ? { notice: "resent" as const } : {}),
        ...(returnTo ? { returnTo } : {}),
      });
    });

    app.post("/requests/:id/verify", { schema: hidden, config: limited(10) }, async (request, reply) => {
      const id = requestId(request);
      const code = one(bodyOf(request)["code"]);
      const returnTo = await deps.drp?.returnUrl(id, id, one(bodyOf(request)["redirect_to"]));
      const t = words(request, reply);
      if (!code)
        return showRequest(
          request,
          reply,
          { errors: [{ field: "code", text: t.t("center.verify.code_missing") }], returnTo },
          400,
        );
      try {
        const { token } = await requests.verify(id, code);
        reply.setCookie(requestCookie(id), token, cookieOptions(request, `/requests/${id}`, 90 * 86_400));
        return reply.redirect(returnTo ?? `/requests/${id}?confirmed=1`, 303);
      } catch (error) {
        if (!isStewardError(error)) throw error;
        const key: MessageKey | undefined =
          error.code === "STW_REQUEST_BAD_CODE"
            ? "center.verify.code_wrong"
            : error.code === "STW_REQUEST_CODE_EXPIRED"
              ? "center.verify.code_expired"
              : error.code === "STW_REQUEST_LOCKED"
                ? "center.verify.locked"
                : undefined;
        if (!key) throw error;
        return showRequest(request, reply, { errors: [{ field: "code", text: t.t(key) }], returnTo }, 400);
      }
    });

    app.post("/requests/:id/resend", { schema: hidden, config: limited(5) }, async (request, reply) => {
      const id = requestId(request);
      try {
        await requests.resend(id);
        return reply.redirect(`/requests/${id}?sent=1`, 303);
      } catch (error) {
        if (!isStewardError(error) || error.code !== "STW_REQUEST_RESEND_TOO_SOON") throw error;
        const t = words(request, reply);
        return showRequest(
          request,
          reply,
          { errors: [{ field: "code", text: t.t("center.verify.resend_wait") }] },
          429,
        );
      }
    });

    app.get("/requests/:id/download", { schema: hidden, config: limited(20) }, async (request, reply) => {
      const id = requestId(request);
      const { bytes, filename } = await requests.packageForPerson(id, request.cookies[requestCookie(id)]);
      return reply
        .type("application/zip")
        .header("content-disposition", `attachment; filename="${filename}"`)
        .header("cache-control", "no-store")
        .send(bytes);
    });

    /**
     * The visitor's device id (the cookie; made on the first visit: the page's own form needs it) and the form token
     * bound to it. `known` is false for an id made now: nothing is written to the ledger for a first look.
     */
    const device = (request: FastifyRequest, reply: FastifyReply) => {
      let id = request.cookies[DEVICE_COOKIE];
      const known = Boolean(id && /^[A-Za-z0-9_-]{16,128}$/.test(id));
      if (!known || !id) {
        id = `web_${randomBytes(16).toString("hex")}`;
        reply.setCookie(DEVICE_COOKIE, id, cookieOptions(request, "/", 395 * 86_400));
      }
      return { subject: `device:${id}`, token: hash.link(`choices:${id}`, 0), known };
    };
    const gpcSent = (request: FastifyRequest) => request.headers["sec-gpc"] === "1";
    const proof = (request: FastifyRequest) => hash.proof(request.ip, request.headers["user-agent"] ?? "");
    const honourSignal = (request: FastifyRequest, subject: string, jurisdiction: string) =>
      gpcSent(request)
        ? honourGpc(consent, consent.subject(subject), { jurisdiction, proof: proof(request), actor: "subject" })
        : Promise.resolve([]);

    const showChoices = async (request: FastifyRequest, reply: FastifyReply, saved: boolean) => {
      const v = view(request, reply);
      const d = device(request, reply);
      // A returning visitor's signal is recorded now; a first visit's with the first save (no ledger entry for a look).
      if (d.known) await honourSignal(request, d.subject, v.rights.jurisdiction);
      const state = await consent.state(d.subject);
      const decisions = await consent.decideMany(d.subject, undefined, v.rights.jurisdiction);
      return sendPage(
        reply,
        choicesPage(v, {
          decisions: new Map(decisions.map((x) => [x.purpose, x])),
          state,
          gpc: gpcSent(request),
          saved,
          token: d.token,
          stale: (purpose) => consent.stale(purpose),
        }),
      );
    };

    app.get("/choices", { schema: hidden, config: limited(60) }, async (request, reply) =>
      showChoices(request, reply, Boolean(queryOf(request)["saved"])),
    );

    app.post("/choices", { schema: hidden, config: limited(30) }, async (request, reply) => {
      const body = bodyOf(request);
      const v = view(request, reply, one(body["jurisdiction"]) || undefined);
      const d = device(request, reply);
      if (!d.known || !sameSecret(one(body["token"]), d.token)) throw stewardError("STW_WEB_FORM_EXPIRED", {});
      await honourSignal(request, d.subject, v.rights.jurisdiction);
      await applyPreferences(
        consent,
        d.subject,
        v.rights.jurisdiction,
        {
          shown: new Set(many(body["shown"])),
          allow: new Set(many(body["allow"])),
          object: new Set(many(body["object"])),
        },
        { proof: proof(request) },
      );
      return reply.redirect("/choices?saved=1", 303);
    });

    // The revision history: every version, its date and what changed in plain words (also at /notice/revisions).
    for (const path of ["/notice/history", "/notice/revisions"])
      app.get(path, { schema: hidden }, async (request, reply) =>
        sendPage(reply, historyPage(view(request, reply), manifest, await listNoticeVersions(requests.ctx.store.db))),
      );
  };
