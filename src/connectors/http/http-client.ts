/**
 * The one place that calls a vendor's API, with Node's global fetch. It adds the `Authorization` header, keeps to the
 * spec's rate limit, retries what a retry can fix (429, 5xx, no answer) with back-off and `Retry-After`, and turns
 * everything else into STW_PROCESSOR_FAILED. Errors name the vendor, the method, the spec's path *template* and the
 * status — never the real URL, whose path or query may hold an e-mail address, and never the key.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { stewardError } from "../../errors.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import type { RequestBody } from "./request-body.ts";
import { type BackoffSettings, retryDelay } from "./retry-delay.ts";

export interface HttpClientSettings {
  readonly vendor: string;
  /** Without a trailing slash; a path prefix (a proxy's) is kept. */
  readonly baseUrl: string;
  readonly authorization: string;
  /** Says where the key comes from, for the message when the vendor refuses it. */
  readonly credentialSource: string;
  readonly retry: BackoffSettings & { readonly max_attempts: number };
  readonly timeoutMs: number;
  readonly limiter: RateLimiter;
}

export interface HttpCall {
  readonly method: string;
  /** The spec's path, e.g. `/v1/customers/{id}`: what messages show. */
  readonly template: string;
  /** The path with its placeholders filled in. */
  readonly path: string;
  readonly query?: URLSearchParams;
  readonly body?: RequestBody;
}

export interface HttpAnswer {
  readonly status: number;
  /** The parsed JSON body; null when the body is empty. */
  readonly body: unknown;
}

const retryable = (status: number) => status === 429 || status >= 500;

export class HttpClient {
  constructor(private readonly settings: HttpClientSettings) {}

  /** Sends `call`; a 2xx or a status in `accept` is answered, anything else throws once retries are spent. */
  async send(call: HttpCall, accept: readonly number[] = []): Promise<HttpAnswer> {
    const { retry, limiter } = this.settings;
    const query = call.query && [...call.query].length > 0 ? `?${call.query}` : "";
    const url = `${this.settings.baseUrl}${call.path}${query}`;
    for (let attempt = 1; ; attempt++) {
      await limiter.wait();
      let response: Response;
      try {
        response = await fetch(url, {
          method: call.method,
          headers: {
            authorization: this.settings.authorization,
            accept: "application/json",
            "user-agent": "steward",
            ...(call.body ? { "content-type": call.body.contentType } : {}),
          },
          ...(call.body ? { body: call.body.text } : {}),
          signal: AbortSignal.timeout(this.settings.timeoutMs),
        });
      } catch (error) {
        const status = this.networkFailure(error);
        if (attempt >= retry.max_attempts) throw this.failed(call, status, attempt, "no answer from the vendor");
        await sleep(retryDelay(attempt, null, retry));
        continue;
      }
      if (response.ok || accept.includes(response.status))
        return { status: response.status, body: await this.json(call, response) };
      await response.body?.cancel();
      if (!retryable(response.status) || attempt >= retry.max_attempts)
        throw this.failed(call, `HTTP ${response.status}`, attempt, this.hint(response.status));
      const delay = retryDelay(attempt, response.headers.get("retry-after"), retry);
      if (delay > retry.max_delay_ms)
        throw this.failed(
          call,
          `HTTP ${response.status}`,
          attempt,
          `the vendor asks to wait ${Math.ceil(delay / 1000)} s, longer than the spec's retry.max_delay_ms`,
        );
      await sleep(delay);
    }
  }

  private async json(call: HttpCall, response: Response): Promise<unknown> {
    const text = await response.text();
    if (text.trim() === "") return null;
    try {
      return JSON.parse(text);
    } catch {
      const type = response.headers.get("content-type") ?? "no content type";
      throw stewardError("STW_PROCESSOR_BAD_RESPONSE", {
        vendor: this.settings.vendor,
        method: call.method,
        path: call.template,
        detail: `the body is not JSON (${type})`,
      });
    }
  }

  private networkFailure(error: unknown): string {
    const e = error as { name?: string; cause?: { code?: string; message?: string } };
    if (e.name === "TimeoutError") return `no answer within ${this.settings.timeoutMs} ms`;
    return `no connection (${e.cause?.code ?? e.cause?.message ?? e.name ?? "network error"})`;
  }

  private hint(status: number): string {
    if (status === 401 || status === 403)
      return `the vendor refused the API key; check ${this.settings.credentialSource} and the key's permissions`;
    if (status === 404) return "the path does not exist there; check the connection URL and the spec's paths";
    if (status === 429) return "the vendor kept answering that we go too fast; lower the spec's rate_limit";
    if (status >= 500) return "the vendor kept failing";
    return "the vendor refused the request as the spec builds it";
  }

  private failed(call: HttpCall, status: string, attempts: number, hint: string): Error {
    return stewardError("STW_PROCESSOR_FAILED", {
      vendor: this.settings.vendor,
      method: call.method,
      path: call.template,
      status,
      attempts,
      hint,
    });
  }
}
