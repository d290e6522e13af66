/**
 * A local stand-in for FullStory's server API v2 (users), following its developer reference, over the recorded
 * fixtures in src/demo/fakes/fixtures/fullstory.json:
 * - auth: `Authorization: Basic <API key>`, the key as FullStory hands it out; otherwise 401;
 * - GET /v2/users?uid=&email=&display_name=&page_token= — exact filters, `{results, total_records, next_page_token,
 *   app_url}`; FullStory chooses the page size (here `pageSize`) and leaves out `next_page_token` on the last page;
 * - GET /v2/users/{id} — the user, or 404;
 * - POST /v2/users/{id} — JSON update of display_name, email, properties; answers `{id}`;
 * - DELETE /v2/users/{id} — answers `{}` at once and marks the user `is_being_deleted` (deletion is asynchronous);
 *   `finishDeletions()` plays the background job that then removes them. 404 for an unknown id.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { copy, type FakeResponse, type FakeServer, type FakeServerOptions, startFakeServer } from "./fake-server.ts";

type Json = Record<string, unknown>;
interface FullStoryFixture {
  users: Json[];
  errors: Record<string, Json>;
}

export const FULLSTORY_FIXTURE: FullStoryFixture = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures", "fullstory.json"), "utf8"),
);

export interface FakeFullStory extends FakeServer {
  readonly users: Map<string, Json>;
  /** Completes the pending deletions, as FullStory's background job eventually does. */
  finishDeletions(): void;
}

const error = (status: number, name: string): FakeResponse => ({ status, body: FULLSTORY_FIXTURE.errors[name] });
const FILTERS = ["uid", "email", "display_name"] as const;

export async function startFakeFullStory(
  apiKey: string,
  pageSize = 20,
  options: FakeServerOptions = {},
): Promise<FakeFullStory> {
  const users = new Map(copy(FULLSTORY_FIXTURE.users).map((u) => [String(u["id"]), u]));
  const server = await startFakeServer(
    {
      authorized: (r) => r.authorization === `Basic ${apiKey}`,
      unauthorized: () => error(401, "unauthorized"),
      failureBody: (status) => FULLSTORY_FIXTURE.errors[status === 429 ? "too_many_requests" : "internal"],
      handle(r) {
        if (r.method === "GET" && r.path === "/v2/users") {
          const matching = [...users.values()].filter((u) =>
            FILTERS.every((f) => r.query.get(f) === null || u[f] === r.query.get(f)),
          );
          const token = r.query.get("page_token");
          const start =
            token === null ? 0 : Number(Buffer.from(token, "base64").toString("utf8").replace("offset:", ""));
          if (!Number.isInteger(start) || start < 0) return error(400, "bad_request");
          const end = start + pageSize;
          return {
            status: 200,
            body: {
              results: matching.slice(start, end),
              total_records: String(matching.length),
              ...(end < matching.length ? { next_page_token: Buffer.from(`offset:${end}`).toString("base64") } : {}),
              app_url: "https://app.fullstory.com/ui/o-1R7Q-na1/segments/everyone/people:search:3nZ0/0",
            },
          };
        }
        const one = /^\/v2\/users\/([^/]+)$/.exec(r.path);
        const user = one ? users.get(decodeURIComponent(one[1]!)) : undefined;
        if (one && !user) return error(404, "not_found");
        if (user && r.method === "GET") return { status: 200, body: user };
        if (user && r.method === "POST") {
          const changes = JSON.parse(r.body) as Json;
          for (const key of ["display_name", "email", "properties"]) if (key in changes) user[key] = changes[key];
          return { status: 200, body: { id: user["id"] } };
        }
        if (user && r.method === "DELETE") {
          user["is_being_deleted"] = true;
          return { status: 200, body: {} };
        }
        return error(404, "not_found");
      },
    },
    options,
  );
  return {
    ...server,
    users,
    finishDeletions() {
      for (const [id, u] of users) if (u["is_being_deleted"] === true) users.delete(id);
    },
  };
}
