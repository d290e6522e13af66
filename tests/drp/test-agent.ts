/**
 * An authorized agent written for the tests: its own Ed25519 key (node:crypto), a discovery-document entry for it,
 * messages signed the way the reference agent signs them (Python's json.dumps separators `", "` and `": "`, then
 * libsodium's combined mode: signature ‖ message, base64), and a callback endpoint on loopback that records what it
 * receives. It talks to the real server over HTTP.
 */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { drpTime } from "../../src/drp/drp-time.ts";

/** json.dumps(obj) as Python writes it (ASCII-escaped, `", "` and `": "`). */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`)
      .join(", ")}}`;
  if (typeof value === "string")
    return JSON.stringify(value).replaceAll(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  return JSON.stringify(value);
}

export interface Received {
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly contentType: string | undefined;
}

export class TestAgent {
  readonly privateKey: KeyObject;
  readonly verifyKey: string;
  token: string | undefined;
  readonly received: Received[] = [];
  /** Agent request ids (else request ids) whose next callbacks are answered 500, and how many more times. */
  readonly failing = new Map<string, number>();
  private server: Server | undefined;
  callbackBase = "";

  constructor(
    readonly id: string,
    public base: string,
    readonly businessId: string,
    readonly clock: () => Date,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    this.privateKey = privateKey;
    this.verifyKey = Buffer.from(publicKey.export({ format: "jwk" }).x ?? "", "base64url").toString("base64");
  }

  entry(): Record<string, string> {
    return { id: this.id, name: `Test agent ${this.id}`, verify_key: this.verifyKey, web_url: "https://agent.test" };
  }

  /** base64(signature ‖ json) over the exact bytes of `json`. */
  signText(json: string, key: KeyObject = this.privateKey): string {
    const bytes = Buffer.from(json, "utf8");
    return Buffer.concat([sign(null, bytes, key), bytes]).toString("base64");
  }

  sign(claims: Record<string, unknown>, key?: KeyObject): string {
    return this.signText(pythonJson(claims), key);
  }

  /** The envelope of §2.01, issued a second ago by the injected clock, valid for five minutes. */
  envelope(over: Record<string, unknown> = {}): Record<string, unknown> {
    const now = this.clock().getTime();
    return {
      "agent-id": this.id,
      "business-id": this.businessId,
      "issued-at": drpTime(new Date(now - 1000)),
      "expires-at": drpTime(new Date(now + 5 * 60_000)),
      "drp.version": "1.0",
      ...over,
    };
  }

  async setup(over: Record<string, unknown> = {}, key?: KeyObject): Promise<Response> {
    const res = await fetch(`${this.base}/v1/agent/${this.id}`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: this.sign(this.envelope(over), key),
    });
    if (res.status === 200) this.token = ((await res.clone().json()) as { token: string }).token;
    return res;
  }

  headers(token = this.token): Record<string, string> {
    return { "content-type": "text/plain", ...(token ? { authorization: `Bearer ${token}` } : {}) };
  }

  exerciseClaims(exercise: string, person: Record<string, unknown>, over: Record<string, unknown> = {}) {
    return this.envelope({
      exercise,
      regime: "ccpa",
      relationships: ["customer"],
      status_callback: `${this.callbackBase}/update_status`,
      ...person,
      ...over,
    });
  }

  async send(wire: string, token = this.token): Promise<Response> {
    return fetch(`${this.base}/v1/data-rights-request`, { method: "POST", headers: this.headers(token), body: wire });
  }

  async exercise(exercise: string, person: Record<string, unknown>, over: Record<string, unknown> = {}) {
    return this.send(this.sign(this.exerciseClaims(exercise, person, over)));
  }

  async status(id: string, token = this.token): Promise<Response> {
    return fetch(`${this.base}/v1/data-rights-request/${id}`, { headers: this.headers(token) });
  }

  /** A revoke as the reference agent sends it: DELETE with the signed body and no Content-Type. */
  async revoke(id: string, reason: string | null, token = this.token): Promise<{ status: number; body: string }> {
    const body = this.sign({ reason });
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.base}/v1/data-rights-request/${id}`,
        {
          method: "DELETE",
          headers: {
            "content-length": String(Buffer.byteLength(body)),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => {
            text += c.toString("utf8");
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      let text = "";
      req.on("data", (c: Buffer) => {
        text += c.toString("utf8");
      });
      req.on("end", () => {
        const body = JSON.parse(text) as Record<string, unknown>;
        const key = String(body["agent_request_id"] ?? body["request_id"]);
        const left = this.failing.get(key) ?? 0;
        if (left > 0) {
          this.failing.set(key, left - 1);
          res.statusCode = 500;
          res.end("try later");
          return;
        }
        this.received.push({ path: req.url ?? "", body, contentType: req.headers["content-type"] });
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.callbackBase = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Waits until a callback for `id` with `status` has arrived (the worker sends it). */
  callback(id: string, status: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    return this.callbackWhere(id, (b) => b["status"] === status, timeoutMs, status);
  }

  async callbackWhere(
    id: string,
    test: (body: Record<string, unknown>) => boolean,
    timeoutMs = 60_000,
    what = "matching",
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((r) => r.body["request_id"] === id && test(r.body));
      if (found) return found.body;
      if (Date.now() > deadline)
        throw new Error(
          `no ${what} callback for ${id} after ${timeoutMs} ms; received: ${JSON.stringify(
            this.received.filter((r) => r.body["request_id"] === id).map((r) => r.body),
          )}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
