/**
 * The HTTP connector's small pure parts: JSON pointers, request bodies, Retry-After and back-off, and the rate
 * limiter's spacing (on vitest's fake clock, so nothing depends on how fast the machine is).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { matchesAll, pointerTokens, valueAt } from "../../../src/connectors/http/json-pointer.ts";
import { RateLimiter } from "../../../src/connectors/http/rate-limiter.ts";
import { buildBody } from "../../../src/connectors/http/request-body.ts";
import { parseRetryAfter, retryDelay } from "../../../src/connectors/http/retry-delay.ts";

describe("JSON pointers", () => {
  const doc = { data: [{ id: "cus_1", "a/b": { "m~n": 1 } }], has_more: false };
  it("walks keys and indexes, unescaping ~1 and ~0; a missing step is undefined", () => {
    expect(valueAt(doc, "")).toBe(doc);
    expect(valueAt(doc, "/data/0/id")).toBe("cus_1");
    expect(valueAt(doc, "/data/0/a~1b/m~0n")).toBe(1);
    expect(valueAt(doc, "/data/1/id")).toBeUndefined();
    expect(valueAt(doc, "/has_more/x")).toBeUndefined();
    expect(valueAt(doc, "/toString")).toBeUndefined();
    expect(pointerTokens("/a~1b/m~0n")).toEqual(["a/b", "m~n"]);
  });
  it("matches a record against every pointer of a condition", () => {
    expect(matchesAll({ deleted: true }, { "/deleted": true })).toBe(true);
    expect(matchesAll({ deleted: false }, { "/deleted": true })).toBe(false);
    expect(matchesAll({}, {})).toBe(true);
  });
});

describe("request bodies", () => {
  it("writes JSON nested by pointer", () => {
    const body = buildBody("json", [
      ["/display_name", null],
      ["/properties/plan", "free"],
    ]);
    expect(body.contentType).toBe("application/json");
    expect(JSON.parse(body.text)).toEqual({ display_name: null, properties: { plan: "free" } });
  });
  it("writes a form with bracketed keys, null as an empty value and objects flattened", () => {
    const body = buildBody("form", [
      ["/address/city", "Lyon"],
      ["/name", null],
      ["/metadata", { tier: "gold" }],
    ]);
    expect(body.contentType).toBe("application/x-www-form-urlencoded");
    expect([...new URLSearchParams(body.text)]).toEqual([
      ["address[city]", "Lyon"],
      ["name", ""],
      ["metadata[tier]", "gold"],
    ]);
  });
});

describe("retry delays", () => {
  const backoff = { initial_delay_ms: 500, max_delay_ms: 3000 };
  it("doubles from the initial delay up to the maximum", () => {
    expect([1, 2, 3, 4, 5].map((a) => retryDelay(a, null, backoff))).toEqual([500, 1000, 2000, 3000, 3000]);
  });
  it("takes Retry-After in seconds or as an HTTP date, and ignores what it cannot read", () => {
    expect(retryDelay(1, "7", backoff)).toBe(7000);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe("the rate limiter", () => {
  afterEach(() => vi.useRealTimers());
  it("lets requests start no closer than 1/rate apart, in the order they asked", async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter(10);
    const started: number[] = [];
    const t0 = Date.now();
    const waits = [0, 1, 2].map((i) => limiter.wait().then(() => started.push(i)));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0]);
    await vi.advanceTimersByTimeAsync(99);
    expect(started).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(waits);
    expect(started).toEqual([0, 1, 2]);
    expect(Date.now() - t0).toBe(200);
  });
});
