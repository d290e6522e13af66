/**
 * The admin console, at `/admin`: sign in with an API key (a session cookie, HttpOnly, SameSite=Strict, scoped to
 * /admin), the queue, one request with its actions, consent, and the records. Every form carries the session's form
 * token; every action goes through the same request service as `/api/admin`, with the same roles: a viewer reads, an
 * approver or an admin acts. Pages are built in src/web/admin/.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { type AdminSession, endSession, formTokenMatches, sessionOf, startSession } from "../../auth/admin-sessions.ts";
import { ROLES_FOR } from "../../auth/api-keys.ts";
import { consentCounts, consentPerDay, currentChoices } from "../../consent/consent-views.ts";
import { isStewardError, stewardError } from "../../errors.ts";
import type { MessageKey } from "../../i18n/translate.ts";
import { buildPlan } from "../../plan/build-plan.ts";
import { planToDot } from "../../plan/explain-plan.ts";
import { buildRopa } from "../../records/build-ropa.ts";
import { buildCcpaMetrics, formatCcpaMetrics } from "../../records/ccpa-metrics.ts";
import { dataMapDot } from "../../records/data-map-dot.ts";
import { readCcpaRows } from "../../records/read-ccpa-rows.ts";
import { renderRopa } from "../../records/render-ropa.ts";
import { dotToSvg } from "../../render/dot-to-svg.ts";
import { ADMIN_ACTIONS, type AdminAction } from "../../requests/admin-actions.ts";
import type { RequestService } from "../../requests/request-service.ts";
import type { ConsoleView } from "../../web/admin/admin-frame.ts";
import { adminPage } from "../../web/admin/admin-frame.ts";
import { CHART_DAYS, consentPage } from "../../web/admin/consent-page.ts";
import { type QueueFilters, queuePage } from "../../web/admin/queue-page.ts";
import { recordsPage } from "../../web/admin/records-page.ts";
import { requestPage } from "../../web/admin/request-page.ts";
import { signInPage } from "../../web/admin/sign-in-page.ts";
import { html } from "../../web/html.ts";
import {
  bodyOf,
  htmlErrors,
  one,
  pageCookie,
  queryOf,
  readerWords,
  securePages,
  sendPage,
  wordsFor,
} from "../web-kit.ts";

const SESSION_COOKIE = "stw_admin";

declare module "fastify" {
  interface FastifyRequest {
    adminSession?: AdminSession;
  }
}

export const adminConsoleRoutes =
  (deps: { readonly requests: RequestService; readonly rateLimitScale: number }): FastifyPluginAsync =>
  async (app) => {
    const { requests } = deps;
    const { manifest, store, config } = requests.ctx;
    const hidden = { hide: true } as const;
    securePages(app);
    htmlErrors(app, "admin", (r) => wordsFor(r, config.timeZone));

    const view = (request: FastifyRequest, reply: FastifyReply): ConsoleView => ({
      t: readerWords(request, reply, config.timeZone),
      manifest,
      url: request.url,
      ...(request.adminSession ? { session: request.adminSession } : {}),
    });
    const cookieOptions = (request: FastifyRequest) => pageCookie(request, "/admin", { sameSite: "strict" });

    /** Every page but sign-in needs a live session; every POST needs the session's form token too. */
    app.addHook("preHandler", async (request, reply) => {
      const path = request.url.split("?")[0];
      if (path === "/admin/sign-in") return;
      const session = await sessionOf(store.db, request.cookies[SESSION_COOKIE], requests.ctx.now());
      if (!session) {
        const expired = Boolean(request.cookies[SESSION_COOKIE]);
        if (expired) reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
        return reply.redirect(`/admin/sign-in${expired ? "?expired=1" : ""}`, 303);
      }
      request.adminSession = session;
      if (request.method === "POST" && !formTokenMatches(session, bodyOf(request)["csrf"]))
        throw stewardError("STW_WEB_FORM_EXPIRED", {});
    });

    /** A page saying the role may not do this (403), for a viewer who sends an action anyway. */
    const refuse = (request: FastifyRequest, reply: FastifyReply, needs: keyof typeof ROLES_FOR) => {
      const v = view(request, reply);
      const role = request.adminSession?.caller.role ?? "viewer";
      const main = html`<h1>${v.t.t("admin.refused_title")}</h1><p>${v.t.t("admin.refused", {
        role: v.t.t(`admin.role.${role}` as MessageKey),
        allowed: ROLES_FOR[needs].map((r) => v.t.t(`admin.role.${r}` as MessageKey)).join(", "),
      })}</p><p><a href="/admin">${v.t.t("admin.request.back")}</a></p>`;
      return sendPage(reply, adminPage(v, "queue", v.t.t("admin.refused_title"), main), 403);
    };
    const may = (request: FastifyRequest, needs: keyof typeof ROLES_FOR) =>
      Boolean(request.adminSession && ROLES_FOR[needs].includes(request.adminSession.caller.role));

    app.get("/admin/sign-in", { schema: hidden }, async (request, reply) => {
      const q = queryOf(request);
      return sendPage(
        reply,
        signInPage(view(request, reply), q["out"] ? { note: "out" } : q["expired"] ? { note: "expired" } : {}),
      );
    });

    app.post(
      "/admin/sign-in",
      { schema: hidden, config: { rateLimit: { max: 10 * deps.rateLimitScale, timeWindow: "1 minute" } } },
      async (request, reply) => {
        const key = one(bodyOf(request)["key"]);
        const v = view(request, reply);
        if (!key)
          return sendPage(
            reply,
            signInPage(v, { errors: [{ field: "key", text: v.t.t("admin.sign_in.missing") }] }),
            400,
          );
        const started = await startSession(store.db, key, requests.ctx.now());
        if (!started)
          return sendPage(reply, signInPage(v, { errors: [{ field: "key", text: v.t.t("admin.sign_in.bad") }] }), 401);
        reply.setCookie(SESSION_COOKIE, started.cookie, cookieOptions(request));
        return reply.redirect("/admin", 303);
      },
    );

    app.post("/admin/sign-out", { schema: hidden }, async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await endSession(store.db, cookie, request.adminSession?.caller.actor ?? "console");
      reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
      return reply.redirect("/admin/sign-in?out=1", 303);
    });

    app.get("/admin", { schema: hidden }, async (request, reply) => {
      const q = queryOf(request);
      const filters: QueueFilters = {
        status: q["status"] || "open",
        type: q["type"] ?? "",
        jurisdiction: q["jurisdiction"] ?? "",
        overdue: q["overdue"] === "1",
      };
      const list = await requests.list({
        ...(filters.status === "open" ? { open: true } : filters.status === "all" ? {} : { status: [filters.status] }),
        ...(filters.type ? { type: [filters.type] } : {}),
        ...(filters.jurisdiction ? { jurisdiction: [filters.jurisdiction] } : {}),
        ...(filters.overdue ? { overdue: true } : {}),
        limit: 200,
      });
      const [overdue, week] = await Promise.all([
        requests.list({ overdue: true, limit: 1 }),
        requests.list({ open: true, dueBefore: new Date(requests.ctx.now().getTime() + 7 * 86_400_000), limit: 1 }),
      ]);
      return sendPage(
        reply,
        queuePage(view(request, reply), list, filters, { overdue: overdue.total, week: week.total }),
      );
    });

    const requestId = (request: FastifyRequest): string => {
      // The service checks the id (STW_REQUEST_NOT_FOUND) before anything uses it.
      return (request.params as { id?: string }).id ?? "";
    };

    /** A plan depends only on the manifest, the action and the identity types: each is drawn once per server. */
    const plans = new Map<string, Promise<string>>();
    const planDrawing = (action: "access" | "erasure" | "rectification", identities: string[]) => {
      const key = `${action}:${identities.join(",")}`;
      let svg = plans.get(key);
      if (!svg) {
        svg = dotToSvg(planToDot(buildPlan(manifest, { action, identities })));
        plans.set(key, svg);
        // A drawing that failed is tried again next time, not remembered.
        svg.catch(() => plans.delete(key));
      }
      return svg;
    };

    const showRequest = async (
      request: FastifyRequest,
      reply: FastifyReply,
      extras: { errors?: { field: string; text: string }[]; done?: string } = {},
      status = 200,
    ) => {
      const r = await requests.show(requestId(request));
      let planSvg: string | undefined;
      if (r.plan) {
        const action = r.type === "portability" ? "access" : r.type;
        if (action === "access" || action === "erasure" || action === "rectification")
          planSvg = await planDrawing(action, Object.keys(r.identities).sort());
      }
      return sendPage(
        reply,
        requestPage(view(request, reply), r, {
          ...extras,
          canAct: may(request, "act"),
          ...(planSvg ? { planSvg } : {}),
        }),
        status,
      );
    };

    app.get("/admin/requests/:id", { schema: hidden }, async (request, reply) => {
      const done = queryOf(request)["done"];
      return showRequest(request, reply, done && [...ADMIN_ACTIONS, "hold"].includes(done) ? { done } : {});
    });

    app.post("/admin/requests/:id/:action", { schema: hidden }, async (request, reply) => {
      const id = requestId(request);
      const action = (request.params as { action: string }).action;
      if (!may(request, "act")) return refuse(request, reply, "act");
      const caller = request.adminSession?.caller;
      const reason = one(bodyOf(request)["reason"]);
      const t = view(request, reply).t;
      const missing = () =>
        showRequest(
          request,
          reply,
          { errors: [{ field: `${action}-reason`, text: t.t("admin.request.reason_missing") }] },
          400,
        );
      if (action === "hold") {
        if (!reason) return missing();
        await requests.placeHold({ request_id: id }, reason, caller?.actor ?? "console");
      } else if ((ADMIN_ACTIONS as readonly string[]).includes(action)) {
        try {
          const denial = action === "deny" ? one(bodyOf(request)["denial"]) || undefined : undefined;
          await requests.act(id, action as AdminAction, caller?.actor ?? "console", reason || undefined, denial);
        } catch (error) {
          if (isStewardError(error) && error.code === "STW_REQUEST_REASON_REQUIRED") return missing();
          throw error;
        }
      } else {
        throw stewardError("STW_API_BAD_REQUEST", {
          detail: `unknown action "${action}"; allowed: ${[...ADMIN_ACTIONS, "hold"].join(", ")}`,
        });
      }
      return reply.redirect(`/admin/requests/${id}?done=${encodeURIComponent(action)}`, 303);
    });

    app.get("/admin/consent", { schema: hidden }, async (request, reply) => {
      const until = requests.ctx.now();
      const since = new Date(until.getTime() - CHART_DAYS * 86_400_000);
      const q = queryOf(request);
      const purpose = manifest.purposes.some((p) => p.key === q["purpose"]) ? (q["purpose"] ?? "") : "";
      const method = /^[a-z_]{1,20}$/.test(q["method"] ?? "") ? (q["method"] ?? "") : "";
      const [days, counts, current] = await Promise.all([
        consentPerDay(store.db, since, { purpose, method }),
        consentCounts(store.db),
        currentChoices(store.db),
      ]);
      return sendPage(reply, consentPage(view(request, reply), { days, counts, current, until, purpose, method }));
    });

    /** The data map, drawn once per locale (its words are in the reader's language). */
    const maps = new Map<string, Promise<string>>();
    const yearOf = (request: FastifyRequest) => {
      const now = requests.ctx.now().getUTCFullYear();
      const asked = Number(queryOf(request)["year"]);
      return Number.isInteger(asked) && asked >= 2018 && asked <= now ? asked : now;
    };
    app.get("/admin/records", { schema: hidden }, async (request, reply) => {
      const v = view(request, reply);
      let mapSvg = maps.get(v.t.locale);
      if (!mapSvg) {
        mapSvg = dotToSvg(
          dataMapDot(manifest, {
            kinds: Object.fromEntries(
              ["internal", "processor", "third_party", "controller"].map((k) => [
                k,
                v.t.t(`admin.records.kind_${k}` as MessageKey),
              ]),
            ),
          }),
        );
        maps.set(v.t.locale, mapSvg);
        mapSvg.catch(() => maps.delete(v.t.locale));
      }
      const year = yearOf(request);
      const metrics = buildCcpaMetrics(
        await readCcpaRows(store.db, { year, timeZone: config.timeZone, now: requests.ctx.now() }),
      );
      const now = requests.ctx.now().getUTCFullYear();
      const years = Array.from({ length: 4 }, (_, i) => now - i);
      return sendPage(reply, recordsPage(v, { mapSvg: await mapSvg, metrics, years }));
    });

    app.get("/admin/records/ropa.:format", { schema: hidden }, async (request, reply) => {
      const format = (request.params as { format: string }).format;
      if (format !== "csv" && format !== "md")
        throw stewardError("STW_API_BAD_REQUEST", { detail: `unknown format "${format}"; allowed: csv, md` });
      return reply
        .type(format === "csv" ? "text/csv; charset=utf-8" : "text/markdown; charset=utf-8")
        .header("content-disposition", `attachment; filename="records-of-processing.${format}"`)
        .send(renderRopa(buildRopa(manifest), format));
    });

    app.get("/admin/records/ccpa.csv", { schema: hidden }, async (request, reply) => {
      const year = yearOf(request);
      const metrics = buildCcpaMetrics(
        await readCcpaRows(store.db, { year, timeZone: config.timeZone, now: requests.ctx.now() }),
      );
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="ccpa-metrics-${year}.csv"`)
        .send(formatCcpaMetrics(metrics, "csv"));
    });
  };
