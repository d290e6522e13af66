/**
 * Generators for the learning_analytics warehouse (MariaDB). Timestamps are written as UTC DATETIME values; user_id
 * and lecture_id hold ids of the learning_app database.
 */
import { createHash } from "node:crypto";
import { EnrollmentCursor } from "./enrollments.ts";
import { DEMO_NOW } from "./people.ts";
import type { Prng } from "./prng.ts";
import { perLearner, type TableDefinition } from "./table-definition.ts";
import { day, dt, NULL } from "./tsv.ts";
import {
  AUDIENCES,
  BOOKS,
  CAMPAIGNS,
  PAGE_PATHS,
  PARTNER_SITES,
  REFERRERS,
  SITE,
  TOPICS,
  USER_AGENTS,
} from "./vocabulary.ts";

const DAY = 86_400_000;
/** Events lean towards the recent past, as activity logs do. */
const recent = (rng: Prng, from: number): number => {
  const x = rng.float();
  return Math.floor(DEMO_NOW - (DEMO_NOW - Math.min(from, DEMO_NOW)) * x * x);
};
const BROWSERS = USER_AGENTS.filter((ua) => ua.startsWith("Mozilla"));
const APPS = USER_AGENTS.filter((ua) => ua.startsWith("LearningApp"));

function randomIp(rng: Prng): string {
  return `${rng.pick(["192.0.2.", "198.51.100.", "203.0.113."])}${1 + rng.int(254)}`;
}

export const CLICKSTREAM_EVENTS: TableDefinition = {
  table: "clickstream_events",
  columns: ["id", "user_id", "device_id", "ip", "url", "referrer", "user_agent", "occurred_at"],
  units: perLearner,
  start: (ctx, rng) => {
    const { plan, people, catalogue } = ctx;
    const enrollments = new EnrollmentCursor(ctx);
    let id = 0;
    return (u, out) => {
      enrollments.enter(u);
      const n = plan.perLearner.clickstream_events[u - 1] as number;
      if (n > 0) {
        const mobile = people.mobileDeviceId(u);
        const cookie = people.cookieId(u);
        const home = people.homeIp(u);
        const signup = people.signup(u);
        for (let c = 0; c < n; c++) {
          const onApp = mobile !== undefined && rng.chance(0.3);
          const course = catalogue.course(enrollments.randomCourse(rng)).slug;
          const path = rng
            .pick(PAGE_PATHS)
            .replace("{course}", course)
            .replace("{n}", String(1 + rng.int(40)));
          // Visits before sign-in carry only the device id.
          const user = rng.chance(0.12) ? NULL : String(u);
          const referrer = rng.chance(0.35) ? rng.pick(REFERRERS) : NULL;
          out.row(
            `${++id}\t${user}\t${onApp ? mobile : cookie}\t${rng.chance(0.8) ? home : randomIp(rng)}\t${SITE}${path}\t` +
              `${referrer}\t${rng.pick(onApp ? APPS : BROWSERS)}\t${dt(recent(rng, signup))}`,
          );
        }
      }
    };
  },
};

export const EMAIL_ENGAGEMENT_EVENTS: TableDefinition = {
  table: "email_engagement_events",
  columns: ["id", "user_id", "campaign_key", "event_type", "link_url", "ip", "user_agent", "occurred_at"],
  units: perLearner,
  start: ({ plan, people }, rng) => {
    let id = 0;
    return (u, out) => {
      const n = plan.perLearner.email_engagement_events[u - 1] as number;
      for (let m = 0; m < n; m++) {
        const at = recent(rng, people.signup(u));
        const campaign = `${dt(at).slice(0, 7)}-${rng.pick(CAMPAIGNS)}`;
        const x = rng.float();
        const type = x < 0.5 ? "delivered" : x < 0.85 ? "open" : "click";
        const link = type === "click" ? `${SITE}/browse?utm_campaign=${campaign}` : NULL;
        const ip = type === "delivered" ? NULL : people.homeIp(u);
        const ua = type === "delivered" ? NULL : rng.pick(BROWSERS);
        out.row(`${++id}\t${u}\t${campaign}\t${type}\t${link}\t${ip}\t${ua}\t${dt(at)}`);
      }
    };
  },
};

export const PARTNER_SITE_ACTIVITY: TableDefinition = {
  table: "partner_site_activity",
  columns: ["id", "user_id", "partner_site", "pages_viewed", "seconds_spent", "activity_date"],
  units: perLearner,
  start: ({ plan, people }, rng) => {
    let id = 0;
    return (u, out) => {
      const n = plan.perLearner.partner_site_activity[u - 1] as number;
      for (let p = 0; p < n; p++) {
        const pages = 1 + rng.int(60);
        out.row(
          `${++id}\t${u}\t${rng.pick(PARTNER_SITES)}\t${pages}\t${pages * (20 + rng.int(200))}\t` +
            `${day(recent(rng, people.signup(u)))}`,
        );
      }
    };
  },
};

export const EREADER_USAGE: TableDefinition = {
  table: "ereader_usage",
  columns: ["id", "user_id", "device_id", "book_key", "pages_read", "seconds_read", "highlights", "occurred_at"],
  units: perLearner,
  start: ({ plan, people }, rng) => {
    let id = 0;
    return (u, out) => {
      const n = plan.perLearner.ereader_usage[u - 1] as number;
      for (let r = 0; r < n; r++) {
        const pages = 1 + rng.int(80);
        out.row(
          `${++id}\t${u}\t${people.mobileDeviceId(u) ?? people.cookieId(u)}\t${rng.pick(BOOKS)}\t${pages}\t` +
            `${pages * (30 + rng.int(120))}\t${rng.int(6)}\t${dt(recent(rng, people.signup(u))).slice(0, 19)}`,
        );
      }
    };
  },
};

export const LECTURE_VIEWS: TableDefinition = {
  table: "lecture_views",
  columns: ["id", "lecture_id", "user_id", "viewed_at", "seconds_watched"],
  units: perLearner,
  start: ({ plan, people }, rng) => {
    const lectures = plan.rows.recorded_lectures;
    let id = 0;
    return (u, out) => {
      const n = plan.perLearner.lecture_views[u - 1] as number;
      for (let v = 0; v < n; v++) {
        out.row(`${++id}\t${1 + rng.int(lectures)}\t${u}\t${dt(recent(rng, people.signup(u)))}\t${rng.int(5400)}`);
      }
    };
  },
};

export const MARKETING_AUDIENCE_MEMBERS: TableDefinition = {
  table: "marketing_audience_members",
  columns: ["id", "user_id", "audience_key", "hashed_email", "destination", "added_at"],
  units: perLearner,
  start: ({ plan, people }, rng) => {
    let id = 0;
    return (u, out) => {
      const n = plan.perLearner.marketing_audience_members[u - 1] as number;
      if (n === 0) return;
      // Ad platforms match on the SHA-256 of the normalised e-mail address.
      const hashed = createHash("sha256").update(people.email(u)).digest("hex");
      const first = rng.int(AUDIENCES.length);
      for (let a = 0; a < n; a++) {
        out.row(
          `${++id}\t${u}\t${AUDIENCES[(first + a) % AUDIENCES.length]}\t${hashed}\tmeta_ads\t` +
            `${dt(recent(rng, people.signup(u))).slice(0, 19)}`,
        );
      }
    };
  },
};

export const RECOMMENDATION_FEATURES: TableDefinition = {
  table: "recommendation_features",
  columns: ["user_id", "top_topics", "predicted_completion", "engagement_score", "churn_risk", "computed_at"],
  units: perLearner,
  start:
    ({ plan }, rng) =>
    (u, out) => {
      if (plan.perLearner.recommendation_features[u - 1] === 0) return;
      const t = rng.int(TOPICS.length);
      const topics = `["${TOPICS[t]}","${TOPICS[(t + 1 + rng.int(5)) % TOPICS.length]}","${TOPICS[(t + 7 + rng.int(5)) % TOPICS.length]}"]`;
      out.row(
        `${u}\t${topics}\t${rng.float().toFixed(3)}\t${(rng.float() * 1000).toFixed(2)}\t${rng.float().toFixed(3)}\t` +
          `${dt(DEMO_NOW - DAY + rng.int(6 * 3_600_000)).slice(0, 19)}`,
      );
    },
};

export const ANALYTICS_TABLE_DEFINITIONS: readonly TableDefinition[] = [
  CLICKSTREAM_EVENTS,
  EMAIL_ENGAGEMENT_EVENTS,
  PARTNER_SITE_ACTIVITY,
  EREADER_USAGE,
  LECTURE_VIEWS,
  MARKETING_AUDIENCE_MEMBERS,
  RECOMMENDATION_FEATURES,
];
