/**
 * The processors the reference deployment reaches, as local fakes on ephemeral ports of 127.0.0.1: Stripe and
 * FullStory (datasets reached by their APIs), and the systems that hear of consent changes — FullStory's consent
 * webhook, Mailchimp and Meta's custom audience. `steward demo up` serves them; the engine and service tests start the
 * same ones. `env` is what the example manifest's `${…}` and the vendor specs read, so exporting it is enough for
 * `steward serve` and `steward worker` to reach them.
 */
import {
  type FakeMailchimp,
  type FakeMeta,
  MAILCHIMP,
  META,
  startFakeMailchimp,
  startFakeMeta,
  startWebhookReceiver,
  type WebhookReceiver,
} from "./fake-consent-vendors.ts";
import { type FakeFullStory, startFakeFullStory } from "./fake-fullstory.ts";
import type { FakeRequest, FakeServerOptions } from "./fake-server.ts";
import { type FakeStripe, startFakeStripe } from "./fake-stripe.ts";

/** The demo's credentials: local fakes only, so fixed values that survive a restart of the fakes. */
export const DEMO_KEYS = {
  STRIPE_SECRET_KEY: "sk_test_steward_demo",
  FULLSTORY_API_KEY: "fs-steward-demo-key",
  FULLSTORY_CONSENT_WEBHOOK_SECRET: "whsec-steward-demo",
  MAILCHIMP_API_KEY: "steward-demo-us21",
  META_ACCESS_TOKEN: "EAAsteward-demo",
} as const;

export type DemoProcessorName = "stripe" | "fullstory" | "fullstory_consent" | "mailchimp" | "meta";

/** One call a fake answered, without its query or body (those can hold an e-mail address) and without ids. */
export interface ProcessorCall {
  readonly processor: DemoProcessorName;
  readonly method: string;
  /** The path with ids replaced by `{id}`, e.g. `/v1/customers/{id}`. */
  readonly path: string;
  readonly status: number;
}

export interface DemoProcessors {
  readonly stripe: FakeStripe;
  readonly fullstory: FakeFullStory;
  readonly fullstoryConsent: WebhookReceiver;
  readonly mailchimp: FakeMailchimp;
  readonly meta: FakeMeta;
  /** Base URLs, keys and list ids under the names the example manifest and the vendor specs read. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

const VERSION = /^(v\d+(\.\d+)?|\d+\.\d+)$/;
/** Path steps after which the vendors' APIs put an id (Stripe's customers, FullStory's users, Mailchimp's lists). */
const NAMED_BY_ID = new Set(["customers", "charges", "users", "lists", "members"]);

/**
 * Ids in a path (`cus_…`, numbers, md5 hashes) as `{id}`, API versions kept: a call is shown by its shape, never by
 * whom it named.
 *
 * @example
 *   callShape("/v1/customers/cus_QkT4vA9mWb2xLp"); // "/v1/customers/{id}"
 */
export function callShape(path: string): string {
  return path
    .split("/")
    .map((step, i, all) =>
      step !== "" && !VERSION.test(step) && (/\d/.test(step) || NAMED_BY_ID.has(all[i - 1] ?? "")) ? "{id}" : step,
    )
    .join("/");
}

export interface DemoProcessorOptions {
  /** Told of every call a fake answered. */
  readonly onCall?: (call: ProcessorCall) => void;
  /** Keep each fake's request log in memory (default true; a long-running demo turns it off). */
  readonly keepRequests?: boolean;
}

/**
 * @example
 *   const fakes = await startDemoProcessors({ onCall: (c) => console.error(c.processor, c.method, c.path) });
 *   Object.assign(process.env, fakes.env);
 */
export async function startDemoProcessors(options: DemoProcessorOptions = {}): Promise<DemoProcessors> {
  const server = (processor: DemoProcessorName): FakeServerOptions => ({
    keepRequests: options.keepRequests ?? true,
    onAnswer: (request: FakeRequest, status: number) =>
      options.onCall?.({ processor, method: request.method, path: callShape(request.path), status }),
  });
  const started: { close(): Promise<void> }[] = [];
  const keep = <T extends { close(): Promise<void> }>(fake: T): T => {
    started.push(fake);
    return fake;
  };
  const close = async () => {
    await Promise.allSettled(started.map((f) => f.close()));
  };
  try {
    const stripe = keep(await startFakeStripe(DEMO_KEYS.STRIPE_SECRET_KEY, server("stripe")));
    const fullstory = keep(await startFakeFullStory(DEMO_KEYS.FULLSTORY_API_KEY, 20, server("fullstory")));
    const fullstoryConsent = keep(
      await startWebhookReceiver(DEMO_KEYS.FULLSTORY_CONSENT_WEBHOOK_SECRET, server("fullstory_consent")),
    );
    const mailchimp = keep(await startFakeMailchimp(DEMO_KEYS.MAILCHIMP_API_KEY, server("mailchimp")));
    const meta = keep(await startFakeMeta(DEMO_KEYS.META_ACCESS_TOKEN, server("meta")));
    const env = {
      STRIPE_API_URL: stripe.url,
      STRIPE_SECRET_KEY: DEMO_KEYS.STRIPE_SECRET_KEY,
      FULLSTORY_API_URL: fullstory.url,
      FULLSTORY_API_KEY: DEMO_KEYS.FULLSTORY_API_KEY,
      FULLSTORY_CONSENT_WEBHOOK_URL: `${fullstoryConsent.url}/consent`,
      FULLSTORY_CONSENT_WEBHOOK_SECRET: DEMO_KEYS.FULLSTORY_CONSENT_WEBHOOK_SECRET,
      MAILCHIMP_API_URL: mailchimp.url,
      MAILCHIMP_API_KEY: DEMO_KEYS.MAILCHIMP_API_KEY,
      MAILCHIMP_LIST_ID: MAILCHIMP.list_id,
      META_GRAPH_URL: `${meta.url}/v21.0`,
      META_ACCESS_TOKEN: DEMO_KEYS.META_ACCESS_TOKEN,
      META_AUDIENCE_ID: META.audience_id,
    };
    return { stripe, fullstory, fullstoryConsent, mailchimp, meta, env, close };
  } catch (error) {
    await close();
    throw error;
  }
}
