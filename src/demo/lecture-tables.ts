/** Generators for recorded lectures: recorded_lectures and the student contacts instructors supply. */
import { TIME } from "./catalogue.ts";
import { DEMO_NOW } from "./people.ts";
import { perLearner, type TableDefinition } from "./table-definition.ts";
import { NULL, opt, text, tsz } from "./tsv.ts";
import { FIRST_NAMES, LAST_NAMES } from "./vocabulary.ts";

export const RECORDED_LECTURES: TableDefinition = {
  table: "recorded_lectures",
  columns: [
    "id",
    "instructor_id",
    "course_id",
    "title",
    "media_ref",
    "instructor_thumbnail_ref",
    "duration_seconds",
    "published_at",
  ],
  units: perLearner,
  start: ({ plan, people, catalogue }, rng) => {
    let id = 0;
    return (u, out) => {
      const n = plan.perLearner.recorded_lectures[u - 1] as number;
      if (n === 0) return;
      const thumbnail = rng.chance(0.6) ? `s3://learning-app-media/instructors/${u}/${rng.hex(12)}.jpg` : undefined;
      for (let l = 0; l < n; l++) {
        id++;
        const course = rng.chance(0.7) ? 1 + rng.int(plan.courses) : undefined;
        const topic = course === undefined ? "Open lecture" : catalogue.course(course).topic;
        out.row(
          `${id}\t${u}\t${opt(course)}\t${text(`${topic}: live session ${l + 1}`)}\t` +
            `s3://learning-app-lectures/${id}/${rng.hex(16)}.mp4\t${opt(thumbnail)}\t${600 + rng.int(4800)}\t` +
            `${tsz(catalogue.after(people.signup(u), id, TIME.published))}`,
        );
      }
    };
  },
};

export const LECTURE_STUDENT_CONTACTS: TableDefinition = {
  table: "lecture_student_contacts",
  columns: ["id", "lecture_id", "student_email", "student_name", "user_id", "supplied_at"],
  units: perLearner,
  start: ({ plan, people, catalogue }, rng) => {
    const learners = plan.learners;
    let lecture = 0;
    let id = 0;
    return (u, out) => {
      const n = plan.perLearner.recorded_lectures[u - 1] as number;
      for (let l = 0; l < n; l++) {
        lecture++;
        const contacts = plan.contactsPerLecture[lecture - 1] as number;
        const published = catalogue.after(people.signup(u), lecture, TIME.published);
        const start = rng.int(learners);
        for (let j = 0; j < contacts; j++) {
          const supplied = tsz(Math.min(DEMO_NOW, published + rng.int(7 * 86_400_000)));
          // Most addresses match an account (consecutive learners, so distinct per lecture); the rest are unknown.
          if (j < learners && rng.chance(0.8)) {
            const v = ((start + j) % learners) + 1;
            const name = rng.chance(0.6) ? text(people.fullName(v)) : NULL;
            out.row(`${++id}\t${lecture}\t${people.email(v)}\t${name}\t${v}\t${supplied}`);
          } else {
            const name = rng.chance(0.4) ? text(`${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`) : NULL;
            out.row(`${++id}\t${lecture}\tstudent${lecture}.${j}@school.example.edu\t${name}\t${NULL}\t${supplied}`);
          }
        }
      }
    };
  },
};

export const LECTURE_TABLES: readonly TableDefinition[] = [RECORDED_LECTURES, LECTURE_STUDENT_CONTACTS];
