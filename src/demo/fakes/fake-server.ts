/**
 * What both vendor fakes share: a real HTTP server on 127.0.0.1 (port 0), a log of the requests it received (so tests
 * can count attempts and see pagination parameters), an auth check, and failures on demand — the next N requests
 * answered with 429 (and a Retry-After) or a 5xx, with the vendor's own error body. The tests and `steward demo up`
 * (src/demo/fakes/demo-processors.ts) start the same servers.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface VendorBehaviour {
  /** True when the request carries the vendor's valid credentials. */
  authorized(request: FakeRequest): boolean;
  unauthorized(request: FakeRequest): FakeResponse;
  /** The vendor's error body for an injected failure (429, 500, 503). */
  failureBody(status: number): unknown;
  handle(request: FakeRequest): FakeResponse;
}

export interface FakeServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly requests: FakeRequest[];
  /** The next `count` requests are answered with `status` (after the auth check), with Retry-After if given. */
  failNext(count: number, status: number, retryAfter?: string): void;
  /** Every answer from now on waits this long (a slow vendor; a kill then lands mid-call). */
  delay(ms: number): void;
  close(): Promise<void>;
}

async function read(req: IncomingMessage): Promise<FakeRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? "/", "http://fake");
  return {
    method: req.method ?? "GET",
    path: url.pathname,
    query: url.searchParams,
    authorization: req.headers.authorization,
    contentType: req.headers["content-type"],
    headers: req.headers,
    body: Buffer.concat(chunks).toString("utf8"),
  };
}

export interface FakeServerOptions {
  /** Told of every answer (after it is sent): how `steward demo up` shows which processor was reached. */
  readonly onAnswer?: (request: FakeRequest, status: number) => void;
  /** Keep every request in `requests` (default true; a long-running demo turns it off). */
  readonly keepRequests?: boolean;
}

export async function startFakeServer(vendor: VendorBehaviour, options: FakeServerOptions = {}): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const failures: { status: number; retryAfter: string | undefined }[] = [];
  let latency = 0;
  const server = createServer((req, res) => {
    void read(req).then(async (request) => {
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      if (options.keepRequests !== false) requests.push(request);
      const failure = vendor.authorized(request) ? failures.shift() : undefined;
      const answer: FakeResponse = !vendor.authorized(request)
        ? vendor.unauthorized(request)
        : failure
          ? {
              status: failure.status,
              body: vendor.failureBody(failure.status),
              headers: failure.retryAfter === undefined ? {} : { "retry-after": failure.retryAfter },
            }
          : vendor.handle(request);
      const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(text);
      options.onAnswer?.(request, answer.status);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(count, status, retryAfter) {
      for (let i = 0; i < count; i++) failures.push({ status, retryAfter });
    },
    delay(ms) {
      latency = ms;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A fresh deep copy of a fixture, so that one test's deletions never leak into the next. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}
