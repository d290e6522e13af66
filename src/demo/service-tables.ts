/**
 * Generators for services around learning: identity_verifications, financial_aid_applications, payment_customers,
 * support_chats, session_replays.
 */
import { EnrollmentCursor } from "./enrollments.ts";
import { DEMO_NOW } from "./people.ts";
import { cumulative, type Prng } from "./prng.ts";
import { perLearner, type TableDefinition } from "./table-definition.ts";
import { day, NULL, opt, text, tsz } from "./tsv.ts";
import {
  CHAT_LINES,
  CHAT_TOPICS,
  CITIES,
  COUNTRIES,
  EMPLOYMENT,
  LEARNING_GOALS,
  PAYMENT_PROCESSORS,
  PAYMENT_WEIGHTS,
  STREETS,
} from "./vocabulary.ts";

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;
const later = (rng: Prng, from: number): number => Math.floor(from + rng.float() * (DEMO_NOW - from));

type Status = "pending" | "succeeded" | "failed";

function verificationStatuses(rng: Prng, n: number): Status[] {
  if (n === 2) return ["failed", rng.chance(0.85) ? "succeeded" : "pending"];
  const x = rng.float();
  return [x < 0.8 ? "succeeded" : x < 0.92 ? "pending" : "failed"];
}

export const IDENTITY_VERIFICATIONS: TableDefinition = {
  table: "identity_verifications",
  columns: [
    "id",
    "user_id",
    "legal_name",
    "date_of_birth",
    "address_line",
    "city",
    "postal_code",
    "country",
    "photo_id_ref",
    "headshot_ref",
    "vendor_reference",
    "status",
    "submitted_at",
    "verified_at",
  ],
  units: perLearner,
  start: ({ plan, people }, rng) => {
    let id = 0;
    return (u, out) => {
      const n = plan.perLearner.identity_verifications[u - 1] as number;
      if (n === 0) return;
      const dob = people.dateOfBirth(u) ?? DEMO_NOW - (18 + rng.float() * 40) * YEAR;
      const address = `${1 + rng.int(250)} ${rng.pick(STREETS)}`;
      const city = rng.pick(CITIES);
      const postal = rng.chance(0.9) ? String(10000 + rng.int(90000)) : undefined;
      const country = (COUNTRIES[people.country(u)] as (typeof COUNTRIES)[number])[0];
      let submitted = later(rng, people.signup(u));
      for (const status of verificationStatuses(rng, n)) {
        id++;
        // The photo ID is deleted once verification succeeds; some successes still await that clean-up.
        const photo =
          status === "succeeded" && rng.chance(0.7) ? NULL : `vault://identity-documents/${rng.hex(24)}.jpg`;
        const verified = status === "succeeded" ? tsz(Math.min(DEMO_NOW, submitted + rng.float() * 2 * DAY)) : NULL;
        out.row(
          `${id}\t${u}\t${text(people.fullName(u))}\t${day(dob)}\t${text(address)}\t${text(city)}\t${opt(postal)}\t` +
            `${country}\t${photo}\tvault://headshots/${rng.hex(24)}.jpg\tidv_${rng.hex(10)}${id.toString(36)}\t` +
            `${status}\t${tsz(submitted)}\t${verified}`,
        );
        submitted = Math.min(DEMO_NOW, submitted + (1 + rng.int(10)) * DAY);
      }
    };
  },
};

export const FINANCIAL_AID_APPLICATIONS: TableDefinition = {
  table: "financial_aid_applications",
  columns: [
    "id",
    "user_id",
    "course_id",
    "annual_income",
    "income_currency",
    "household_size",
    "employment_status",
    "statement",
    "status",
    "submitted_at",
    "decided_at",
  ],
  units: perLearner,
  start: (ctx, rng) => {
    const { plan, people } = ctx;
    const enrollments = new EnrollmentCursor(ctx);
    let id = 0;
    return (u, out) => {
      enrollments.enter(u);
      const n = plan.perLearner.financial_aid_applications[u - 1] as number;
      for (let a = 0; a < n; a++) {
        const course = enrollments.randomCourse(rng);
        const x = rng.float();
        const income = (300 + 60_000 * x * x * x).toFixed(2);
        const currency = (COUNTRIES[people.country(u)] as (typeof COUNTRIES)[number])[5];
        const employment = rng.pick(EMPLOYMENT);
        const statement = `I am currently ${employment.replace("_", " ")} and cannot pay the full fee; this course would help me ${rng.pick(LEARNING_GOALS)}.`;
        const y = rng.float();
        const status = y < 0.6 ? "approved" : y < 0.85 ? "rejected" : "submitted";
        const submitted = later(rng, people.signup(u));
        const decided = status === "submitted" ? NULL : tsz(Math.min(DEMO_NOW, submitted + (1 + rng.int(15)) * DAY));
        out.row(
          `${++id}\t${u}\t${course}\t${income}\t${currency}\t${1 + rng.int(8)}\t${employment}\t${text(statement)}\t` +
            `${status}\t${tsz(submitted)}\t${decided}`,
        );
      }
    };
  },
};

const PROCESSOR_CDF = cumulative(PAYMENT_WEIGHTS);

function processorCustomerId(rng: Prng, processor: string, id: number): string {
  const tail = id.toString(36);
  switch (processor) {
    case "stripe":
      return `cus_${rng.hex(10)}${tail}`;
    case "braintree":
      return String(100_000_000 + id);
    case "paypal":
      return `${rng.hex(9)}${tail}`.toUpperCase();
    case "google_pay":
      return `gpay_${rng.hex(12)}${tail}`;
    case "apple_pay":
      return `apay_${rng.hex(12)}${tail}`;
    default:
      return `C_${rng.hex(8)}${tail}`;
  }
}

export const PAYMENT_CUSTOMERS: TableDefinition = {
  table: "payment_customers",
  columns: ["id", "user_id", "processor", "processor_customer_id", "created_at"],
  units: perLearner,
  start: ({ plan, people }, rng) => {
    let id = 0;
    return (u, out) => {
      const n = plan.perLearner.payment_customers[u - 1] as number;
      let previous = -1;
      for (let j = 0; j < n; j++) {
        let p = rng.weighted(PROCESSOR_CDF);
        while (p === previous) p = rng.weighted(PROCESSOR_CDF);
        previous = p;
        const processor = PAYMENT_PROCESSORS[p] as string;
        id++;
        out.row(
          `${id}\t${u}\t${processor}\t${processorCustomerId(rng, processor, id)}\t${tsz(later(rng, people.signup(u)))}`,
        );
      }
    };
  },
};

export const SUPPORT_CHATS: TableDefinition = {
  table: "support_chats",
  columns: [
    "id",
    "user_id",
    "contact_email",
    "vendor_conversation_id",
    "topic",
    "transcript",
    "started_at",
    "closed_at",
  ],
  units: perLearner,
  start: ({ plan, people }, rng) => {
    let id = 0;
    return (u, out) => {
      const n = plan.perLearner.support_chats[u - 1] as number;
      for (let c = 0; c < n; c++) {
        id++;
        // CHAT_LINES holds question/answer pairs; a chat is one or two of them.
        const lines: string[] = [];
        const pairs = 1 + rng.int(2);
        for (let t = 0; t < pairs; t++) {
          const q = 2 * rng.int(CHAT_LINES.length / 2);
          lines.push(`learner: ${CHAT_LINES[q]}`, `agent: ${CHAT_LINES[q + 1]}`);
        }
        const started = later(rng, people.signup(u));
        const closed = rng.chance(0.95) ? tsz(Math.min(DEMO_NOW, started + (2 + rng.int(40)) * 60_000)) : NULL;
        // A chat started before sign-in carries only the e-mail the visitor typed.
        const user = rng.chance(0.1) ? NULL : String(u);
        out.row(
          `${id}\t${user}\t${people.email(u)}\tconv_${rng.hex(8)}${id.toString(36)}\t${rng.pick(CHAT_TOPICS)}\t` +
            `${text(lines.join("\n"))}\t${tsz(started)}\t${closed}`,
        );
      }
    };
  },
};

export const SESSION_REPLAYS: TableDefinition = {
  table: "session_replays",
  columns: ["id", "user_id", "device_id", "vendor_session_id", "started_at", "duration_seconds", "page_count"],
  units: perLearner,
  start: ({ plan, people }, rng) => {
    let id = 0;
    return (u, out) => {
      const n = plan.perLearner.session_replays[u - 1] as number;
      for (let s = 0; s < n; s++) {
        id++;
        const user = rng.chance(0.15) ? NULL : String(u);
        out.row(
          `${id}\t${user}\t${people.cookieId(u)}\tfs_${rng.hex(12)}${id.toString(36)}\t` +
            `${tsz(later(rng, people.signup(u)))}\t${rng.int(3600)}\t${1 + rng.int(30)}`,
        );
      }
    };
  },
};

export const SERVICE_TABLES: readonly TableDefinition[] = [
  IDENTITY_VERIFICATIONS,
  FINANCIAL_AID_APPLICATIONS,
  PAYMENT_CUSTOMERS,
  SUPPORT_CHATS,
  SESSION_REPLAYS,
];
