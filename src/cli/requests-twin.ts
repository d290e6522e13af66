/**
 * What `steward requests …` does, behind one small interface with two ways in: the request service opened here (on
 * PostgreSQL, or on an embedded store nobody holds), or — while `steward serve` holds the embedded store — that
 * server's admin API on loopback with its local token (src/auth/local-admin.ts). Both give the same answers in the
 * same shapes (dates as ISO strings, as JSON has them), so the commands print the same either way.
 */
import type { ServeFile } from "../auth/local-admin.ts";
import type { AdminAction } from "../requests/admin-actions.ts";
import type { AdminView, ListFilter, RequestList } from "../requests/request-views.ts";
import { localApi, servingServer } from "./local-api.ts";
import { cliActor, type SessionOptions, withService } from "./service-session.ts";

/** An operator's view of a request as JSON carries it: dates are ISO strings. */
export type AdminViewJson = Omit<AdminView, "holds"> & {
  readonly holds: readonly { id: string; reason: string; placed_by: string; placed_at: string }[];
};

export interface HoldJson {
  readonly id: string;
  readonly reason: string;
  readonly placed_by: string;
  readonly placed_at: string;
}

export interface RequestsTwin {
  /** How the command reached the service: "store" (opened here) or the server's URL. */
  readonly via: string;
  list(filter: ListFilter): Promise<RequestList>;
  show(id: string): Promise<AdminViewJson>;
  act(
    id: string,
    action: AdminAction,
    reason: string | undefined,
    denial?: string,
  ): Promise<{ id: string; status: string; due_at: string | null }>;
  hold(requestId: string, reason: string): Promise<HoldJson[]>;
  unhold(holdId: string, reason: string | undefined): Promise<void>;
}

const asJson = <T>(value: unknown): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Runs `run` with the twin that reaches the store: through the running server when one holds the embedded store
 * (`--data-dir`, default `.steward`), else through the service opened here.
 */
export async function withRequestsTwin<T>(
  dir: string,
  options: SessionOptions & { readonly jobs?: boolean },
  run: (twin: RequestsTwin) => Promise<T>,
): Promise<T> {
  const server = await servingServer(options.dataDir);
  if (server) return run(remoteTwin(server));
  return withService(dir, options, (service) =>
    run({
      via: "store",
      list: (filter) => service.list(filter).then((l) => asJson<RequestList>(l)),
      show: (id) => service.show(id).then((v) => asJson<AdminViewJson>(v)),
      act: async (id, action, reason, denial) => {
        const row = await service.act(id, action, cliActor(), reason, denial);
        return { id: row.id, status: row.status, due_at: row.due_at?.toISOString() ?? null };
      },
      hold: (id, reason) => service.placeHold({ request_id: id }, reason, cliActor()).then((h) => asJson(h)),
      unhold: (holdId, reason) => service.liftHold(holdId, cliActor(), reason),
    }),
  );
}

function remoteTwin(server: ServeFile): RequestsTwin {
  const call = localApi(server);
  const id = (v: string) => encodeURIComponent(v);
  return {
    via: server.url,
    list(filter) {
      const q = new URLSearchParams();
      for (const key of ["status", "type", "jurisdiction"] as const)
        if (filter[key]?.length) q.set(key, filter[key].join(","));
      if (filter.overdue) q.set("overdue", "true");
      if (filter.open) q.set("open", "true");
      if (filter.dueBefore) q.set("due_before", filter.dueBefore.toISOString());
      const query = q.toString();
      return call("GET", `/api/admin/requests${query ? `?${query}` : ""}`);
    },
    show: (request) => call("GET", `/api/admin/requests/${id(request)}`),
    act: (request, action, reason, denial) =>
      call("POST", `/api/admin/requests/${id(request)}/${action}`, {
        ...(reason === undefined ? {} : { reason }),
        ...(denial === undefined ? {} : { denial }),
      }),
    hold: async (request, reason) =>
      (await call<{ holds: HoldJson[] }>("POST", "/api/admin/holds", { request_id: request, reason })).holds,
    unhold: async (hold, reason) => {
      await call("DELETE", `/api/admin/holds/${id(hold)}`, reason === undefined ? {} : { reason });
    },
  };
}
