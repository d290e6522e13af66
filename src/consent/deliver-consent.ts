/**
 * The delivery loop: works off the consent outbox, telling each downstream system of each change — by a signed
 * webhook, or through the vendor's documented API — with retries and exponential backoff, and a log of every attempt.
 *
 * Durable and at-least-once by construction, effectively once by idempotence: a row is claimed with a lease (its next
 * attempt moved past the lease, in a short transaction with `SKIP LOCKED`, so workers on one PostgreSQL never take the
 * same row); the call is made outside any transaction; success marks it delivered. A process killed mid-call leaves
 * the row pending, and it is taken again when the lease runs out. What is sent is idempotent on the receiving side:
 * a webhook carries its delivery id (`Steward-Delivery`), Mailchimp's PUT sets a member's status, Meta's custom
 * audience calls add or remove a hash — doing one twice leaves the same state.
 *
 * Webhook signature: `Steward-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. A receiver
 * recomputes it over the raw body and refuses a timestamp more than five minutes from its clock (the replay window).
 */
import { createHash, createHmac } from "node:crypto";
import { type Selectable, sql } from "kysely";
import { OneAtATime } from "../jobs/one-at-a-time.ts";
import type { Manifest } from "../manifest/types.ts";
import type { Sealer } from "../secrets/seal.ts";
import type { Store } from "../store/store.ts";
import type { ConsentDeliveriesTable, DeliveryAttempt } from "../store/store-schema.ts";
import { type DeliverySubject, deliveryBinding, OUTBOX_CHANNEL } from "./plan-deliveries.ts";

type DeliveryRow = Selectable<ConsentDeliveriesTable>;

export interface DelivererOptions {
  readonly store: Store;
  readonly manifest: Manifest;
  readonly sealer: Sealer;
  /** Where `${ENV_VAR}` references in `consent_delivery` are looked up. Default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Seconds a claimed row is left to its worker before another may take it. Default 60 (STEWARD_DELIVERY_LEASE_SECONDS). */
  readonly leaseSeconds?: number;
  /** Attempts before a delivery is given up as failed. Default 12. */
  readonly maxAttempts?: number;
  /** First retry delay in milliseconds; doubled each attempt up to an hour. Default 2,000. */
  readonly baseDelayMs?: number;
  /** Milliseconds one call may take. Default 10,000. */
  readonly timeoutMs?: number;
  /** How often the outbox is polled besides the wake-ups, in milliseconds. Default 5,000. */
  readonly pollMs?: number;
  /** Calls made at once by this process. Default 4. */
  readonly concurrency?: number;
  /** Milliseconds before a delivery to a system that is not configured is looked at again. Default 600,000. */
  readonly waitMs?: number;
}

export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** Signs a webhook body as the receiver checks it. */
export function signWebhook(secret: string, body: string, at: number): string {
  const t = Math.floor(at / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

/** A receiver's check of `Steward-Signature` (exported for hosts and tests). */
export function verifyWebhook(secret: string, body: string, header: string | undefined, now = Date.now()): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(now / 1000 - t) > WEBHOOK_TOLERANCE_SECONDS) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return expected === m[2];
}

type Outcome =
  | { readonly kind: "delivered"; readonly note: string }
  /** The system is not configured here yet: no attempt is counted, and it is looked at again later. */
  | { readonly kind: "waiting"; readonly note: string }
  | { readonly kind: "retry"; readonly note: string }
  | { readonly kind: "failed"; readonly note: string }
  | { readonly kind: "skipped"; readonly note: string };

const isMarketingEmail = (manifest: Manifest, purpose: string) =>
  purpose === "*" ||
  (manifest.purposes.find((p) => p.key === purpose)?.data_use.startsWith("marketing.communications") ?? false);

export class ConsentDeliverer {
  readonly #o: Required<Omit<DelivererOptions, "env">> & { env: Readonly<Record<string, string | undefined>> };
  #timer: NodeJS.Timeout | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  readonly #passes = new OneAtATime(() => this.drain());

  constructor(options: DelivererOptions) {
    const env = options.env ?? process.env;
    const lease = Number(env["STEWARD_DELIVERY_LEASE_SECONDS"]);
    this.#o = {
      leaseSeconds: Number.isInteger(lease) && lease > 0 ? lease : 60,
      maxAttempts: 12,
      baseDelayMs: 2_000,
      timeoutMs: 10_000,
      pollMs: 5_000,
      concurrency: 4,
      waitMs: 600_000,
      ...options,
      env,
    };
  }

  /** Starts the loop: at once, on every wake-up from a commit that queued deliveries, and every `pollMs`. */
  async start(): Promise<void> {
    this.#passes.resume();
    this.#unlisten = await this.#o.store.listen(OUTBOX_CHANNEL, () => this.kick());
    this.#timer = setInterval(() => this.kick(), this.#o.pollMs);
    this.#timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    const stopping = this.#passes.stop();
    await this.#unlisten?.();
    await stopping;
  }

  /** Runs a pass now (or right after the one in progress). */
  kick(): void {
    this.#passes.kick();
  }

  /** Delivers everything due, `concurrency` at a time; returns how many attempts were made. */
  async drain(): Promise<number> {
    let made = 0;
    for (;;) {
      if (this.#passes.stopped) return made;
      const claimed = await this.#claim(this.#o.concurrency);
      if (claimed.length === 0) return made;
      await Promise.all(claimed.map((row) => this.#deliver(row)));
      made += claimed.length;
    }
  }

  async #claim(limit: number): Promise<DeliveryRow[]> {
    const lease = `${this.#o.leaseSeconds} seconds`;
    const result = await sql<DeliveryRow>`
      update consent_deliveries set next_attempt_at = now() + ${lease}::interval, attempts = attempts + 1
      where id in (
        select d.id from consent_deliveries d
        where d.state = 'pending' and d.next_attempt_at <= now()
          -- In order per system and person: a change waits while an earlier one to the same place is not final,
          -- so an old "granted" retried late can never land after a newer "withdrawn".
          and not exists (
            select 1 from consent_deliveries e
            where e.system = d.system and e.subject_hash = d.subject_hash and e.state = 'pending'
              and e.event_seq < d.event_seq
          )
        order by d.next_attempt_at, d.created_at
        limit ${limit}
        for update skip locked
      )
      returning *`.execute(this.#o.store.db);
    return result.rows;
  }

  async #deliver(row: DeliveryRow): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await this.#send(row);
    } catch (error) {
      const e = error as { name?: string; code?: string; cause?: { code?: string } };
      const why = e.name === "TimeoutError" ? "timed out" : (e.cause?.code ?? e.code ?? "unreachable");
      outcome = { kind: "retry", note: why };
    }
    // A change that stops something (a withdrawal, an objection, a restriction, an age) is never given up: it is
    // retried at the longest interval until the system takes it. A consent given may be given up.
    const stops = row.status !== "granted" && row.status !== "unrestricted";
    if (outcome.kind === "retry" && row.attempts >= this.#o.maxAttempts && !stops)
      outcome = { kind: "failed", note: `${outcome.note}; gave up after ${row.attempts} attempts` };
    const entry: DeliveryAttempt = { at: new Date().toISOString(), outcome: `${outcome.kind}: ${outcome.note}` };
    const waiting = outcome.kind === "waiting";
    const delay = waiting ? this.#o.waitMs : Math.min(this.#o.baseDelayMs * 2 ** (row.attempts - 1), 3_600_000);
    const state = outcome.kind === "retry" || waiting ? "pending" : outcome.kind;
    // A wait is logged once (not at every look), and gives back the attempt its claim counted.
    const final = state !== "pending";
    await sql`
      update consent_deliveries set
        state = ${state},
        subject_enc = ${final ? sql`''` : sql`subject_enc`},
        attempts = attempts - ${waiting ? 1 : 0},
        delivered_at = ${outcome.kind === "delivered" ? sql`now()` : sql`null`},
        next_attempt_at = ${outcome.kind === "retry" || waiting ? sql`now() + ${`${delay} milliseconds`}::interval` : sql`next_attempt_at`},
        log = case when ${waiting} and log -> -1 ->> 'outcome' = ${entry.outcome} then log
                   else log || ${JSON.stringify([entry])}::jsonb end
      where id = ${row.id} and state = 'pending' and attempts = ${row.attempts}`.execute(this.#o.store.db);
  }

  #resolve(reference: string | undefined): string | undefined {
    if (reference === undefined) return undefined;
    const name = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(reference)?.[1];
    return name ? this.#o.env[name] || undefined : undefined;
  }

  async #send(row: DeliveryRow): Promise<Outcome> {
    const system = this.#o.manifest.systems.find((s) => s.key === row.system);
    const delivery = system?.consent_delivery;
    if (!delivery) return { kind: "skipped", note: "the system no longer has a consent_delivery in the manifest" };
    const url = this.#resolve(delivery.url);
    const secret = this.#resolve(delivery.secret);
    const list = this.#resolve(delivery.list);
    if (!url || !secret || (delivery.kind !== "webhook" && !list)) {
      const missing = [delivery.url, delivery.secret, ...(delivery.kind === "webhook" ? [] : [delivery.list])]
        .filter((r) => !this.#resolve(r))
        .join(", ");
      return { kind: "waiting", note: `not configured: set ${missing}` };
    }
    let subject: DeliverySubject;
    try {
      subject = this.#o.sealer.openJson(row.subject_enc, deliveryBinding(row.record_id, row.system));
    } catch {
      return { kind: "failed", note: "the sealed subject could not be opened (another secret, or a changed row)" };
    }
    const stops = row.status !== "granted" && row.status !== "unrestricted";
    // The e-mail vendors are reached by address: the subject's own, or the one its caller vouched for with it.
    const address = subject.type === "email" ? subject.value : subject.email;
    const noAddress: Outcome = {
      kind: "skipped",
      note:
        subject.type === "device"
          ? "the subject is a device, which has no e-mail address"
          : `no e-mail address is known for this ${subject.type} subject (the host's token named none with it)`,
    };
    switch (delivery.kind) {
      case "webhook":
        return this.#webhook(url, secret, row, { type: subject.type, value: subject.value });
      case "mailchimp": {
        if (!address) return noAddress;
        if (!isMarketingEmail(this.#o.manifest, row.purpose))
          return { kind: "skipped", note: "Mailchimp hears only of marketing e-mail choices" };
        if (row.status === "unrestricted")
          return { kind: "skipped", note: "a lifted restriction re-subscribes nobody" };
        return this.#mailchimp(url, secret, list as string, address, stops ? "unsubscribed" : "subscribed");
      }
      case "meta_custom_audience": {
        if (!address) return noAddress;
        if (row.status === "unrestricted") return { kind: "skipped", note: "a lifted restriction adds nobody" };
        return this.#meta(url, secret, list as string, address, stops ? "DELETE" : "POST");
      }
    }
  }

  async #call(url: string, init: RequestInit): Promise<Response> {
    return fetch(url, { ...init, signal: AbortSignal.timeout(this.#o.timeoutMs) });
  }

  /** 2xx delivered; 408, 409, 425, 429 and 5xx retried; 401 and 403 wait for the configuration; any other is final. */
  async #judge(response: Response, errorType: (body: unknown) => string | undefined): Promise<Outcome> {
    if (response.ok) return { kind: "delivered", note: `http ${response.status}` };
    let type: string | undefined;
    try {
      type = errorType(await response.json());
    } catch {
      type = undefined;
    }
    const note = `http ${response.status}${type ? ` (${type})` : ""}`;
    // Refused credentials are this deployment's configuration to fix, not the change's fault: it waits for the fix.
    if (response.status === 401 || response.status === 403)
      return { kind: "waiting", note: `${note}: the credentials were refused` };
    const transient = [408, 409, 425, 429].includes(response.status) || response.status >= 500;
    return { kind: transient ? "retry" : "failed", note };
  }

  async #webhook(url: string, secret: string, row: DeliveryRow, subject: { type: string; value: string }) {
    const body = JSON.stringify({
      id: row.id,
      type: "consent.changed",
      record_id: row.record_id,
      purpose: row.purpose,
      status: row.status,
      subject,
      at: new Date(row.created_at).toISOString(),
    });
    const response = await this.#call(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "steward-delivery": row.id,
        "steward-signature": signWebhook(secret, body, Date.now()),
      },
      body,
    });
    return this.#judge(response, () => undefined);
  }

  /** Mailchimp Marketing API: PUT /3.0/lists/{list_id}/members/{md5 of the lower-cased address}. */
  async #mailchimp(base: string, key: string, list: string, email: string, status: "subscribed" | "unsubscribed") {
    const address = email.toLowerCase();
    const hash = createHash("md5").update(address).digest("hex");
    const response = await this.#call(`${base.replace(/\/+$/, "")}/3.0/lists/${list}/members/${hash}`, {
      method: "PUT",
      headers: {
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`steward:${key}`).toString("base64")}`,
      },
      body: JSON.stringify({ email_address: address, status_if_new: status, status }),
    });
    return this.#judge(response, (b) => (b as { title?: string }).title);
  }

  /** Meta Marketing API: POST (add) or DELETE (remove) /{audience_id}/users with SHA-256 of the address. */
  async #meta(base: string, token: string, audience: string, email: string, method: "POST" | "DELETE") {
    const hash = createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
    const response = await this.#call(`${base.replace(/\/+$/, "")}/${audience}/users`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ payload: { schema: "EMAIL_SHA256", data: [[hash]] } }),
    });
    return this.#judge(response, (b) => (b as { error?: { type?: string } }).error?.type);
  }
}
