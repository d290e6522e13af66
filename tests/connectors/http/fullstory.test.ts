/**
 * The HTTP connector with the shipped FullStory spec, against a local server that follows FullStory's documented
 * server API v2 — pages chosen by the server, the key sent as FullStory hands it out, deletion asynchronous.
 */
import { rmSync } from "node:fs";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Connector, Row } from "../../../src/connectors/connector.ts";
import { createHttpConnector } from "../../../src/connectors/http/index.ts";
import { type FakeFullStory, startFakeFullStory } from "../../../src/demo/fakes/fake-fullstory.ts";
import { specVariant } from "./spec-variant.ts";

const KEY = "na1.c3Rld2FyZC10ZXN0LWtleQ==";
const env = { FULLSTORY_API_KEY: KEY };
const ADA = "ada.lindqvist@example.com";
const variant = specVariant("fullstory", [["initial_delay_ms: 1000", "initial_delay_ms: 5"]]);

async function rows(batches: AsyncIterable<Row[]>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

let fullstory: FakeFullStory;
let db: Connector;
beforeEach(async () => {
  fullstory = await startFakeFullStory(KEY, 1);
  db = await createHttpConnector(fullstory.url, variant.ref, { root: variant.root, env });
});
afterEach(async () => {
  await db.close();
  await fullstory.close();
});
afterAll(() => rmSync(variant.root, { recursive: true }));

describe("FullStory through the HTTP connector", () => {
  it("finds users by e-mail across the pages the server chooses, sending the key as `Basic {API_KEY}`", async () => {
    const found = await rows(db.readByKeys("users", "email", [ADA], ["id", "uid", "display_name", "properties"]));
    expect(found.map((r) => r["id"]).sort()).toEqual(["6473920184735217041", "8810275533019846620"]);
    expect(found.find((r) => r["uid"] === "48213")?.["properties"]).toMatchObject({
      last_course_viewed: "applied-statistics",
    });
    expect(fullstory.requests.map((r) => r.query.get("page_token") === null)).toEqual([true, false]);
    expect(fullstory.requests.every((r) => r.authorization === `Basic ${KEY}`)).toBe(true);
  });

  it("finds a user by the uid our site gave them, a numeric key matching FullStory's string", async () => {
    expect(await rows(db.readByKeys("users", "uid", [51877], ["email"]))).toEqual([
      { email: "bruno.okafor@example.org" },
    ]);
  });

  it("treats a user whose deletion is under way as gone; deleting again once it is done counts 0", async () => {
    expect(await db.deleteByKeys("users", "email", [ADA])).toBe(2);
    expect(fullstory.users.get("6473920184735217041")?.["is_being_deleted"]).toBe(true);
    expect(await rows(db.readByKeys("users", "email", [ADA], ["id"]))).toEqual([]);
    expect(await rows(db.readByKeys("users", "id", ["6473920184735217041"], ["id"]))).toEqual([]);
    expect(await db.deleteByKeys("users", "email", [ADA])).toBe(0);
    fullstory.finishDeletions();
    expect(await db.deleteByKeys("users", "id", ["6473920184735217041", "8810275533019846620"])).toBe(0);
  });

  it("updates display name and e-mail with a JSON body", async () => {
    expect(await db.updateByKeys("users", "uid", ["60342"], { display_name: null, email: "x@example.invalid" })).toBe(
      1,
    );
    const mei = fullstory.users.get("5168803321947715528")!;
    expect(mei["display_name"]).toBeNull();
    expect(mei["email"]).toBe("x@example.invalid");
    expect(fullstory.requests.find((r) => r.method === "POST")?.contentType).toBe("application/json");
  });

  it("waits as Retry-After says on 429 and retries a 500, then succeeds", async () => {
    fullstory.failNext(2, 429, "0");
    fullstory.failNext(1, 500);
    expect(await rows(db.readByKeys("users", "id", ["2930418856127740093"], ["uid"]))).toEqual([{ uid: "51877" }]);
    expect(fullstory.requests).toHaveLength(4);
  });

  it("reports a response without records where the spec says as STW_PROCESSOR_BAD_RESPONSE", async () => {
    const stale = specVariant("fullstory", [["records: /results", "records: /users"]]);
    const wrong = await createHttpConnector(fullstory.url, stale.ref, { root: stale.root, env });
    const error = await rows(wrong.readByKeys("users", "email", [ADA], ["id"])).catch((e: Error) => e);
    rmSync(stale.root, { recursive: true });
    expect(error).toMatchObject({ code: "STW_PROCESSOR_BAD_RESPONSE" });
    expect((error as Error).message).toContain(
      'fullstory GET /v2/users answered with an unexpected body: no records at "/users"',
    );
    expect((error as Error).message).not.toContain(ADA);
  });

  it("gives up when Retry-After asks for longer than the spec's max delay, without the e-mail or key", async () => {
    fullstory.failNext(1, 429, "3600");
    const error = await rows(db.readByKeys("users", "email", [ADA], ["id"])).catch((e: Error) => e);
    expect(error).toMatchObject({ code: "STW_PROCESSOR_FAILED" });
    expect((error as Error).message).toContain("fullstory GET /v2/users failed with HTTP 429 after 1 attempt(s)");
    expect((error as Error).message).not.toContain(ADA);
    expect((error as Error).message).not.toContain(KEY);
    expect(fullstory.requests).toHaveLength(1);
  });
});
