/** Generators for the non-personal catalogue: courses, degree_programs, surveys. */
import { mix32 } from "./prng.ts";
import type { TableDefinition } from "./table-definition.ts";
import { day, NULL, text } from "./tsv.ts";
import { CONTENT_PROVIDERS, DEGREE_NAMES, LANGUAGES } from "./vocabulary.ts";

const CATALOGUE_START = Date.UTC(2012, 3, 1);
const CATALOGUE_SPAN = Date.UTC(2025, 3, 1) - CATALOGUE_START;
const UNIVERSITIES = CONTENT_PROVIDERS.filter((name) => /University|College|Institute/.test(name));

export const COURSES: TableDefinition = {
  table: "courses",
  columns: ["id", "slug", "title", "content_provider", "language", "launched_on"],
  units: (plan) => plan.courses,
  start:
    ({ catalogue }, rng) =>
    (id, out) => {
      const course = catalogue.course(id);
      const language = rng.chance(0.8) ? "en" : rng.pick(LANGUAGES);
      const launched = CATALOGUE_START + rng.float() * CATALOGUE_SPAN;
      out.row(`${id}\t${course.slug}\t${text(course.title)}\t${text(course.provider)}\t${language}\t${day(launched)}`);
    },
};

export const DEGREE_PROGRAMS: TableDefinition = {
  table: "degree_programs",
  columns: ["id", "slug", "name", "partner_university", "credential", "launched_on"],
  units: (plan) => plan.degreePrograms,
  start:
    ({ plan }, rng) =>
    (id, out) => {
      const [name, credential] = DEGREE_NAMES[(id - 1) % DEGREE_NAMES.length] as (typeof DEGREE_NAMES)[number];
      const university = UNIVERSITIES[mix32(plan.seed, id, 0xde) % UNIVERSITIES.length] as string;
      const slug = `${credential.toLowerCase()}-${university.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${id}`;
      const launched = CATALOGUE_START + rng.float() * CATALOGUE_SPAN;
      out.row(`${id}\t${slug}\t${text(name)}\t${text(university)}\t${credential}\t${day(launched)}`);
    },
};

export const SURVEYS: TableDefinition = {
  table: "surveys",
  columns: ["id", "course_id", "title", "operated_by", "opened_on"],
  units: (plan) => plan.surveys,
  start:
    ({ plan, catalogue }, rng) =>
    (id, out) => {
      const opened = day(CATALOGUE_START + rng.float() * CATALOGUE_SPAN);
      if (id % 3 === 1) {
        const title = rng.pick(["Learner background survey", "Platform experience survey", "Career goals survey"]);
        out.row(`${id}\t${NULL}\t${title}\tplatform\t${opened}`);
        return;
      }
      const course = 1 + rng.int(plan.courses);
      const operator = rng.chance(0.7) ? "content_provider" : "platform";
      out.row(
        `${id}\t${course}\t${text(`End-of-course survey: ${catalogue.course(course).title}`)}\t${operator}\t${opened}`,
      );
    },
};

export const CATALOGUE_TABLES: readonly TableDefinition[] = [COURSES, DEGREE_PROGRAMS, SURVEYS];
