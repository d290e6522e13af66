/**
 * The course catalogue and the time helpers that several generators share. Course titles and slugs are computed once
 * per run (a few thousand courses at a million learners) so that clickstream URLs can name a learner's real courses.
 */
import { DEMO_NOW } from "./people.ts";
import { mix32 } from "./prng.ts";
import type { SeedPlan } from "./seed-plan.ts";
import { CONTENT_PROVIDERS, COURSE_PREFIXES, TOPICS } from "./vocabulary.ts";

export interface Course {
  readonly title: string;
  readonly slug: string;
  readonly topic: string;
  readonly provider: string;
}

export class Catalogue {
  /** Index id - 1. */
  readonly courses: readonly Course[];

  constructor(readonly plan: SeedPlan) {
    const courses: Course[] = [];
    for (let id = 1; id <= plan.courses; id++) {
      const h = mix32(plan.seed, id, 0xc0);
      const topic = TOPICS[h % TOPICS.length] as string;
      const title = `${COURSE_PREFIXES[(h >>> 8) % COURSE_PREFIXES.length]} ${topic}`;
      const slug = `${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${id}`;
      const provider = CONTENT_PROVIDERS[(h >>> 16) % CONTENT_PROVIDERS.length] as string;
      courses.push({ title, slug, topic, provider });
    }
    this.courses = courses;
  }

  course(id: number): Course {
    return this.courses[id - 1] as Course;
  }

  /**
   * A time between `from` and the demo's today, the same for the same (key, salt): lets one table compute the
   * timestamp another table drew (e.g. a review must come after the submission it reviews).
   */
  after(from: number, key: number, salt: number): number {
    const start = Math.min(from, DEMO_NOW);
    const x = mix32(this.plan.seed, key, salt) / 4294967296;
    return Math.floor(start + (DEMO_NOW - start) * x);
  }
}

/** Salts for `Catalogue.after`, one per derived timestamp. */
export const TIME = { enrolled: 0xe1, submitted: 0x5b, published: 0x1ec } as const;
