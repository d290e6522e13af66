import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/api/build-server.ts";
import { recordCurrentNotice } from "../../src/api/record-current-notice.ts";
import { manifestToJson } from "../../src/manifest/to-json.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { manifestHash } from "../../src/store/manifest-hash.ts";
import { SUPPORTED_SCHEMA_VERSION } from "../../src/store/migrate-store.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { expectCodedError } from "./error-body.ts";
import { loadTinyManifest, withoutOrganization } from "./fixtures/tiny-manifest.ts";

let manifest: Manifest;
let store: Store;
let app: FastifyInstance;

beforeAll(async () => {
  manifest = await loadTinyManifest();
  store = await openStore({ inMemory: true });
  app = await buildServer({ manifest, store, logger: false });
});
afterAll(async () => {
  await app?.close();
  await store?.close();
});

describe("GET /health", () => {
  it("answers 200 with the store's backend and schema version and the manifest's notice version", async () => {
    const res = await app.inject({ url: "/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: "ok",
      store: { backend: "pglite", schema_version: SUPPORTED_SCHEMA_VERSION },
      manifest: { organization: "Quill Reading Club", notice_version: "2025-03-01" },
    });
  });

  it("answers 503 STW_STORE_UNREACHABLE when the store is gone", async () => {
    const lost = await openStore({ inMemory: true });
    const server = await buildServer({ manifest, store: lost, logger: false });
    await lost.close();
    const res = await server.inject({ url: "/health" });
    expect(res.statusCode).toBe(503);
    expectCodedError(res.body, "STW_STORE_UNREACHABLE");
    const versions = await server.inject({ url: "/api/notice/versions" });
    expect(versions.statusCode).toBe(503);
    expectCodedError(versions.body, "STW_STORE_UNREACHABLE");
    await server.close();
  });
});

describe("GET /notice", () => {
  it("serves the HTML notice with the organization's name and a title", async () => {
    const res = await app.inject({ url: "/notice" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.body).toContain("Quill Reading Club");
    expect(res.body).toMatch(/<title>Quill Privacy Notice — Quill Reading Club<\/title>/);
  });

  it("serves Markdown with ?format=md", async () => {
    const res = await app.inject({ url: "/notice?format=md" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/markdown; charset=utf-8");
    expect(res.body.startsWith("# Quill Privacy Notice")).toBe(true);
  });

  it("refuses an unknown format with a coded 400 naming the allowed values", async () => {
    const res = await app.inject({ url: "/notice?format=pdf" });
    expect(res.statusCode).toBe(400);
    const { message } = expectCodedError(res.body, "STW_API_BAD_REQUEST");
    expect(message).toContain("format");
    expect(message).toContain('"md"');
    expect(message).toContain('"html"');
  });

  it("answers 503 STW_API_NOTICE_UNAVAILABLE when the manifest cannot make a notice", async () => {
    const server = await buildServer({ manifest: withoutOrganization(manifest), store, logger: false });
    const res = await server.inject({ url: "/notice" });
    expect(res.statusCode).toBe(503);
    const { message } = expectCodedError(res.body, "STW_API_NOTICE_UNAVAILABLE");
    expect(message).toContain("STW_MANIFEST_MISSING_ORGANIZATION");
    await server.close();
  });
});

describe("GET /api/manifest", () => {
  it("round-trips the normalised manifest: maps as objects, no file locations or paths", async () => {
    const res = await app.inject({ url: "/api/manifest" });
    expect(res.statusCode).toBe(200);
    const body = res.json() as Record<string, unknown>;
    expect(body).toEqual(JSON.parse(JSON.stringify(manifestToJson(manifest))));
    const taxonomy = body["taxonomy"] as { data_categories: Record<string, { key: string }> };
    expect(taxonomy.data_categories["user.contact.email"]?.key).toBe("user.contact.email");
    expect(body["purposes"]).toMatchObject([{ key: "lending", legal_basis: "contract", recipients: ["hosting"] }]);
    expect(body).not.toHaveProperty("root");
    expect(res.body).not.toContain('"at":');
    expect(res.body).not.toContain("tiny-manifest");
  });
});

describe("GET /api/notice/versions", () => {
  it("lists the versions the store holds; recording the current one twice keeps one row", async () => {
    expect((await app.inject({ url: "/api/notice/versions" })).json()).toEqual({ versions: [] });
    expect((await recordCurrentNotice(store, manifest)).outcome).toBe("recorded");
    expect((await recordCurrentNotice(store, manifest)).outcome).toBe("unchanged");
    const res = await app.inject({ url: "/api/notice/versions" });
    expect(res.statusCode).toBe(200);
    const { versions } = res.json() as { versions: Record<string, unknown>[] };
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      version: "2025-03-01",
      effective_date: "2025-03-01",
      manifest_hash: manifestHash(manifest),
    });
    expect(new Date(String(versions[0]?.["published_at"])).getTime()).not.toBeNaN();
  });
});

describe("errors and docs", () => {
  it("answers an unknown route with STW_API_NOT_FOUND listing the known routes", async () => {
    const res = await app.inject({ url: "/nope?email=ada@example.org" });
    expect(res.statusCode).toBe(404);
    const { message } = expectCodedError(res.body, "STW_API_NOT_FOUND");
    expect(message).toContain('"/nope"');
    expect(message).toContain('"/health"');
    expect(message).toContain('"/api/manifest"');
    expect(message).not.toContain("ada@example.org");
    expect(message).not.toContain("/docs/static");
  });

  it("answers a wrong method and a malformed body with coded errors", async () => {
    const post = await app.inject({ method: "DELETE", url: "/health" });
    expect(post.statusCode).toBe(404);
    expectCodedError(post.body, "STW_API_NOT_FOUND");
    const malformed = await app.inject({
      method: "POST",
      url: "/health",
      payload: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.statusCode).toBe(400);
    const { message } = expectCodedError(malformed.body, "STW_API_BAD_REQUEST");
    expect(message).toMatch(/JSON/);
  });

  it("publishes OpenAPI at /docs/json with every route, and the docs page at /docs", async () => {
    const spec = await app.inject({ url: "/docs/json" });
    expect(spec.statusCode).toBe(200);
    const doc = spec.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/health", "/notice", "/api/manifest", "/api/notice/versions"]),
    );
    const page = await app.inject({ url: "/docs/" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("swagger");
  });
});

describe("logging", () => {
  it("logs requests without query strings, e-mail addresses, headers or the client's IP address", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const server = await buildServer({ manifest, store, logger: sink });
    await server.inject({
      url: "/notice?format=md&email=ada@example.org",
      headers: { authorization: "Bearer tok-123", cookie: "session=cookie-456" },
    });
    await server.inject({ url: "/users/grace%40example.org/data" });
    await server.close();
    const log = lines.join("");
    expect(log).toContain('"msg":"incoming request"');
    expect(log).toContain('"path":"/notice"');
    expect(log).toContain('"path":"/users/[redacted]/data"');
    for (const secret of ["ada@example.org", "grace", "tok-123", "cookie-456", "remoteAddress", "127.0.0.1"]) {
      expect(log).not.toContain(secret);
    }
  });
});
