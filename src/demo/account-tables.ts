/** Generators for accounts: users, profiles, third_party_logins, email_subscriptions. */
import { DEMO_NOW } from "./people.ts";
import type { Prng } from "./prng.ts";
import { perLearner, type TableDefinition } from "./table-definition.ts";
import { bool, day, NULL, opt, text, tsz } from "./tsv.ts";
import {
  CITIES,
  COUNTRIES,
  EDUCATION_LEVELS,
  EMAIL_LISTS,
  EMPLOYERS,
  JOB_TITLES,
  LANGUAGES,
  LEARNING_GOALS,
  LOGIN_PROVIDERS,
  TOPICS,
} from "./vocabulary.ts";

/** Looks like an argon2id hash; it is random hex and matches no password. */
function passwordHash(rng: Prng): string {
  return `$argon2id$v=19$m=19456,t=2,p=1$${rng.hex(22)}$${rng.hex(43)}`;
}

const between = (rng: Prng, from: number, to: number): number => Math.floor(from + rng.float() * (to - from));

export const USERS: TableDefinition = {
  table: "users",
  columns: [
    "id",
    "email",
    "password_hash",
    "first_name",
    "last_name",
    "phone",
    "mobile_device_id",
    "web_cookie_id",
    "date_of_birth",
    "country",
    "language",
    "created_at",
    "last_login_at",
    "closed",
    "closed_at",
    "deleted",
  ],
  units: perLearner,
  start:
    ({ people }, rng) =>
    (u, out) => {
      const country = COUNTRIES[people.country(u)] as (typeof COUNTRIES)[number];
      const signup = people.signup(u);
      const dob = people.dateOfBirth(u);
      const phone = rng.chance(0.55)
        ? `+${country[3]}${String(rng.int(1e9)).padStart(9, "0")}${rng.int(10)}`
        : undefined;
      const language = rng.chance(0.8) ? country[2] : rng.pick(LANGUAGES);
      const lastLogin = rng.chance(0.92) ? between(rng, signup, DEMO_NOW) : undefined;
      const closed = rng.chance(0.03);
      const closedAt = closed ? between(rng, lastLogin ?? signup, DEMO_NOW) : undefined;
      const deleted = closed && rng.chance(0.15);
      const cookie = rng.chance(0.9) ? people.cookieId(u) : undefined;
      out.row(
        `${u}\t${people.email(u)}\t${passwordHash(rng)}\t${text(people.firstName(u))}\t${text(people.lastName(u))}\t` +
          `${opt(phone)}\t${opt(people.mobileDeviceId(u))}\t${opt(cookie)}\t${dob === undefined ? NULL : day(dob)}\t` +
          `${country[0]}\t${language}\t${tsz(signup)}\t${lastLogin === undefined ? NULL : tsz(lastLogin)}\t` +
          `${bool(closed)}\t${closedAt === undefined ? NULL : tsz(closedAt)}\t${bool(deleted)}`,
      );
    },
};

export const PROFILES: TableDefinition = {
  table: "profiles",
  columns: [
    "user_id",
    "display_name",
    "headline",
    "bio",
    "photo_ref",
    "city",
    "timezone",
    "job_title",
    "employer",
    "education_level",
    "updated_at",
  ],
  units: perLearner,
  start:
    ({ people }, rng) =>
    (u, out) => {
      const first = people.firstName(u);
      const last = people.lastName(u);
      const display = rng.chance(0.6) ? `${first} ${last}` : `${first} ${last.charAt(0)}.`;
      const job = rng.chance(0.35) ? rng.pick(JOB_TITLES) : undefined;
      const employer = rng.chance(0.3) ? rng.pick(EMPLOYERS) : undefined;
      const headline = rng.chance(0.4)
        ? job && employer
          ? `${job} at ${employer}`
          : `Learning ${rng.pick(TOPICS)}`
        : undefined;
      const bio = rng.chance(0.25) ? `Studying ${rng.pick(TOPICS)} to ${rng.pick(LEARNING_GOALS)}.` : undefined;
      const photo = rng.chance(0.35) ? `s3://learning-app-media/profile-photos/${u}/${rng.hex(12)}.jpg` : undefined;
      const city = rng.chance(0.5) ? rng.pick(CITIES) : undefined;
      const timezone = (COUNTRIES[people.country(u)] as (typeof COUNTRIES)[number])[4];
      const education = rng.chance(0.5) ? rng.pick(EDUCATION_LEVELS) : undefined;
      out.row(
        `${u}\t${text(display)}\t${text(headline)}\t${text(bio)}\t${opt(photo)}\t${text(city)}\t${timezone}\t` +
          `${text(job)}\t${text(employer)}\t${opt(education)}\t${tsz(between(rng, people.signup(u), DEMO_NOW))}`,
      );
    },
};

function externalId(rng: Prng, provider: string, u: number): string {
  switch (provider) {
    case "google":
      return `1${String(u).padStart(10, "0")}${String(rng.int(1e9)).padStart(9, "0")}`;
    case "facebook":
      return `10${String(u).padStart(10, "0")}${rng.int(1e4)}`;
    case "apple":
      return `00${String(rng.int(1e4)).padStart(4, "0")}.${rng.hex(32)}.${u}`;
    default:
      return `${rng.hex(6)}${u.toString(36)}`;
  }
}

export const THIRD_PARTY_LOGINS: TableDefinition = {
  table: "third_party_logins",
  columns: ["id", "user_id", "provider", "external_id", "profile_payload", "linked_at"],
  units: perLearner,
  start: ({ plan, people }, rng) => {
    let id = 0;
    const counts = plan.perLearner.third_party_logins;
    return (u, out) => {
      const n = counts[u - 1] as number;
      if (n === 0) return;
      const first = rng.int(LOGIN_PROVIDERS.length);
      for (let j = 0; j < n; j++) {
        const provider = LOGIN_PROVIDERS[(first + j) % LOGIN_PROVIDERS.length] as string;
        const ext = externalId(rng, provider, u);
        const payload =
          `{"sub":"${ext}","email":"${people.email(u)}","name":"${people.fullName(u)}",` +
          `"picture":"https://avatars.example.com/${rng.hex(16)}.jpg","email_verified":${rng.chance(0.9)}}`;
        out.row(
          `${++id}\t${u}\t${provider}\t${ext}\t${text(payload)}\t${tsz(between(rng, people.signup(u), DEMO_NOW))}`,
        );
      }
    };
  },
};

export const EMAIL_SUBSCRIPTIONS: TableDefinition = {
  table: "email_subscriptions",
  columns: ["id", "user_id", "list_key", "subscribed", "subscribed_at", "unsubscribed_at"],
  units: perLearner,
  start: ({ plan, people }, rng) => {
    let id = 0;
    const counts = plan.perLearner.email_subscriptions;
    return (u, out) => {
      const n = counts[u - 1] as number;
      if (n === 0) return;
      const first = rng.int(EMAIL_LISTS.length);
      const signup = people.signup(u);
      for (let j = 0; j < n; j++) {
        const subscribedAt = between(rng, signup, Math.min(DEMO_NOW, signup + 30 * 86_400_000));
        const subscribed = rng.chance(0.85);
        const until = subscribed ? NULL : tsz(between(rng, subscribedAt, DEMO_NOW));
        out.row(
          `${++id}\t${u}\t${EMAIL_LISTS[(first + j) % EMAIL_LISTS.length]}\t${bool(subscribed)}\t${tsz(subscribedAt)}\t${until}`,
        );
      }
    };
  },
};

export const ACCOUNT_TABLES: readonly TableDefinition[] = [USERS, PROFILES, THIRD_PARTY_LOGINS, EMAIL_SUBSCRIPTIONS];
