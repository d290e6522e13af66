/**
 * Gives the seeded learners their accounts at the fake processors, read from the seeded learning_app database, so
 * that a request for a seeded learner finds something there: a Stripe customer (with one charge) for every
 * `payment_customers` row of processor `stripe`, under its `processor_customer_id`; a FullStory user for every
 * learner with a web cookie (a visitor the site recorded), carrying their account id as `uid`; a Mailchimp member
 * for every learner subscribed to the newsletter. The records are built from the recorded fixtures' shapes.
 */
import { createHash } from "node:crypto";
import { parseDatabaseUrl } from "../database-url.ts";
import { openPostgres } from "../postgres-loader.ts";
import type { DemoProcessors } from "./demo-processors.ts";
import { MAILCHIMP } from "./fake-consent-vendors.ts";
import { FULLSTORY_FIXTURE } from "./fake-fullstory.ts";
import { STRIPE_FIXTURE } from "./fake-stripe.ts";

export interface SeededAccounts {
  readonly stripe_customers: number;
  readonly fullstory_users: number;
  readonly mailchimp_members: number;
}

interface Learner {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly country: string;
  readonly phone: string | null;
}

const LEARNER = `u.id::text AS id, u.email, u.first_name || ' ' || u.last_name AS name, u.country, u.phone`;

/**
 * @example
 *   const counts = await addSeededAccounts(fakes, "postgres://postgres@127.0.0.1:5432/learning_app");
 */
export async function addSeededAccounts(
  fakes: DemoProcessors,
  postgresUrl: string,
  options: {
    /** Only these learners' accounts (e-mail addresses): a benchmark's fakes then answer without scanning everyone. */
    readonly only?: readonly string[];
  } = {},
): Promise<SeededAccounts> {
  const only = options.only ? [...options.only] : null;
  const client = await openPostgres(parseDatabaseUrl(postgresUrl, "postgres"));
  try {
    const customers = await client.query<Learner & { customer: string; pc: string; created: string }>(
      `SELECT ${LEARNER}, pc.id::text AS pc, pc.processor_customer_id AS customer,
              extract(epoch FROM pc.created_at)::bigint::text AS created
         FROM payment_customers pc JOIN users u ON u.id = pc.user_id
        WHERE pc.processor = 'stripe' AND NOT u.deleted AND ($1::text[] IS NULL OR u.email = ANY($1)) ORDER BY pc.id`,
      [only],
    );
    const [customer, charge] = [STRIPE_FIXTURE.customers[0]!, STRIPE_FIXTURE.charges[0]!];
    for (const l of customers.rows) {
      const address = { ...(customer["address"] as object), country: l.country };
      fakes.stripe.customers.set(l.customer, {
        ...structuredClone(customer),
        id: l.customer,
        email: l.email,
        name: l.name,
        phone: l.phone,
        address,
        created: Number(l.created),
      });
      fakes.stripe.charges.push({
        ...structuredClone(charge),
        id: `ch_demo${l.pc}`,
        customer: l.customer,
        created: Number(l.created) + 60,
        billing_details: { address, email: l.email, name: l.name, phone: l.phone },
      });
    }
    const visitors = await client.query<Learner>(
      `SELECT ${LEARNER} FROM users u WHERE u.web_cookie_id IS NOT NULL AND NOT u.deleted
          AND ($1::text[] IS NULL OR u.email = ANY($1)) ORDER BY u.id`,
      [only],
    );
    const user = FULLSTORY_FIXTURE.users[0]!;
    for (const l of visitors.rows) {
      const id = String(7_000_000_000_000 + Number(l.id));
      fakes.fullstory.users.set(id, {
        ...structuredClone(user),
        id,
        uid: l.id,
        email: l.email,
        display_name: l.name,
        app_url: String(user["app_url"]).replace(/\/user\/\d+$/, `/user/${id}`),
      });
    }
    const subscribers = await client.query<Learner & { since: string }>(
      `SELECT ${LEARNER}, s.subscribed_at::text AS since FROM email_subscriptions s JOIN users u ON u.id = s.user_id
        WHERE s.list_key = 'newsletter' AND s.subscribed AND NOT u.deleted AND ($1::text[] IS NULL OR u.email = ANY($1))
        ORDER BY u.id`,
      [only],
    );
    const member = MAILCHIMP.members[0]!;
    for (const l of subscribers.rows) {
      const hash = createHash("md5").update(l.email.toLowerCase()).digest("hex");
      fakes.mailchimp.members.set(hash, {
        ...structuredClone(member),
        id: hash,
        email_address: l.email,
        status: "subscribed",
        unique_email_id: hash.slice(0, 10),
        timestamp_opt: l.since,
      });
    }
    return {
      stripe_customers: customers.rowCount ?? 0,
      fullstory_users: visitors.rowCount ?? 0,
      mailchimp_members: subscribers.rowCount ?? 0,
    };
  } finally {
    await client.end().catch(() => {});
  }
}
