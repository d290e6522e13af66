/**
 * Generators for learning activity: enrollments, assignment_submissions, peer_reviews, quiz_responses, exam_attempts,
 * survey_responses, forum_posts. Each walks the learners in id order and keeps its own running offset into the
 * plan's per-enrolment and per-submission counts, so the foreign keys line up without any table reading another.
 */
import { TIME } from "./catalogue.ts";
import { EnrollmentCursor } from "./enrollments.ts";
import { DEMO_NOW } from "./people.ts";
import { perLearner, type TableDefinition } from "./table-definition.ts";
import { bool, NULL, opt, text, tsz } from "./tsv.ts";
import {
  AGE_RANGES,
  EDUCATION_LEVELS,
  EMPLOYMENT,
  GENDERS,
  LEARNING_GOALS,
  QUIZ_ANSWERS,
  SENTENCES,
} from "./vocabulary.ts";

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;
const minNow = (ms: number): number => Math.min(ms, DEMO_NOW);

export const ENROLLMENTS: TableDefinition = {
  table: "enrollments",
  columns: [
    "id",
    "user_id",
    "course_id",
    "degree_program_id",
    "for_credit",
    "enrolled_at",
    "progress",
    "grade",
    "completed_at",
  ],
  units: perLearner,
  start: (ctx, rng) => {
    const { plan, catalogue } = ctx;
    const enrollments = new EnrollmentCursor(ctx);
    return (u, out) => {
      const degree = plan.degreeProgram[u - 1] as number;
      enrollments.walk(u, (enrollment, enrolled) => {
        const completed = rng.chance(0.35);
        const progress = completed ? 100 : rng.float() * 99.99;
        const grade = completed
          ? 60 + rng.float() * 40
          : progress > 50 && rng.chance(0.4)
            ? rng.float() * 100
            : undefined;
        const completedAt = completed ? tsz(catalogue.after(enrolled, enrollment, 0xc1)) : NULL;
        out.row(
          `${enrollment}\t${u}\t${plan.enrollmentCourse[enrollment - 1]}\t${degree === 0 ? NULL : degree}\t` +
            `${bool(degree !== 0)}\t${tsz(enrolled)}\t${progress.toFixed(2)}\t` +
            `${grade === undefined ? NULL : grade.toFixed(2)}\t${completedAt}`,
        );
      });
    };
  },
};

export const ASSIGNMENT_SUBMISSIONS: TableDefinition = {
  table: "assignment_submissions",
  columns: ["id", "enrollment_id", "user_id", "assignment_key", "content", "attachment_ref", "submitted_at", "score"],
  units: perLearner,
  start: (ctx, rng) => {
    const { plan, catalogue } = ctx;
    const enrollments = new EnrollmentCursor(ctx, plan.submissionsPerEnrollment);
    let id = 0;
    return (u, out) => {
      enrollments.walk(u, (enrollment, enrolled, n) => {
        for (let s = 0; s < n; s++) {
          id++;
          const content = rng.chance(0.5) ? rng.pick(SENTENCES) : `${rng.pick(SENTENCES)} ${rng.pick(SENTENCES)}`;
          const attachment = rng.chance(0.3) ? `s3://learning-app-submissions/${id}/${rng.hex(10)}.pdf` : undefined;
          const score = rng.chance(0.85) ? (50 + rng.float() * 50).toFixed(2) : undefined;
          out.row(
            `${id}\t${enrollment}\t${u}\tweek-${s + 1 + rng.int(4) * 2}-assignment\t${text(content)}\t` +
              `${opt(attachment)}\t${tsz(catalogue.after(enrolled, id, TIME.submitted))}\t${opt(score)}`,
          );
        }
      });
    };
  },
};

export const PEER_REVIEWS: TableDefinition = {
  table: "peer_reviews",
  columns: ["id", "submission_id", "reviewer_id", "reviewee_id", "score", "feedback", "created_at"],
  units: perLearner,
  start: (ctx, rng) => {
    const { plan, catalogue } = ctx;
    const learners = plan.learners;
    const enrollments = new EnrollmentCursor(ctx, plan.submissionsPerEnrollment);
    let submission = 0;
    let id = 0;
    return (u, out) => {
      enrollments.walk(u, (_enrollment, enrolled, n) => {
        for (let s = 0; s < n; s++) {
          submission++;
          const reviews = plan.reviewsPerSubmission[submission - 1] as number;
          if (reviews === 0) continue;
          const submitted = catalogue.after(enrolled, submission, TIME.submitted);
          // Reviewers are other learners, distinct per submission: offsets 1..learners-1 from the reviewee.
          const first = 1 + rng.int(learners - 1);
          for (let r = 0; r < reviews; r++) {
            let offset = first;
            if (r === 1) {
              offset = 1 + rng.int(learners - 2);
              if (offset >= first) offset++;
            }
            // A few reviewers have since been erased: their reviews stay with the reviewee, without their id.
            const reviewer = rng.chance(0.03) ? NULL : String(((u - 1 + offset) % learners) + 1);
            const created = minNow(submitted + rng.float() * 14 * DAY);
            out.row(
              `${++id}\t${submission}\t${reviewer}\t${u}\t${rng.int(11)}\t${text(rng.pick(SENTENCES))}\t${tsz(created)}`,
            );
          }
        }
      });
    };
  },
};

export const QUIZ_RESPONSES: TableDefinition = {
  table: "quiz_responses",
  columns: ["id", "enrollment_id", "user_id", "quiz_key", "question_key", "answer", "correct", "answered_at"],
  units: perLearner,
  start: (ctx, rng) => {
    const enrollments = new EnrollmentCursor(ctx, ctx.plan.quizResponsesPerEnrollment);
    let id = 0;
    return (u, out) => {
      enrollments.walk(u, (enrollment, enrolled, n) => {
        for (let q = 0; q < n; q++) {
          const answered = enrolled + rng.float() * (DEMO_NOW - enrolled);
          out.row(
            `${++id}\t${enrollment}\t${u}\tquiz-${1 + rng.int(8)}\tq${1 + rng.int(12)}\t${text(rng.pick(QUIZ_ANSWERS))}\t` +
              `${bool(rng.chance(0.7))}\t${tsz(answered)}`,
          );
        }
      });
    };
  },
};

export const EXAM_ATTEMPTS: TableDefinition = {
  table: "exam_attempts",
  columns: [
    "id",
    "enrollment_id",
    "user_id",
    "exam_key",
    "attempt_no",
    "started_at",
    "submitted_at",
    "score",
    "proctoring_flagged",
  ],
  units: perLearner,
  start: (ctx, rng) => {
    const { catalogue } = ctx;
    const enrollments = new EnrollmentCursor(ctx, ctx.plan.examAttemptsPerEnrollment);
    let id = 0;
    return (u, out) => {
      enrollments.walk(u, (enrollment, enrolled, n) => {
        let started = catalogue.after(enrolled, enrollment, 0xea);
        for (let a = 1; a <= n; a++) {
          const submitted = rng.chance(0.95) ? minNow(started + (30 + rng.int(90)) * 60_000) : undefined;
          const score = submitted === undefined ? NULL : (rng.float() * 100).toFixed(2);
          out.row(
            `${++id}\t${enrollment}\t${u}\tfinal-exam\t${a}\t${tsz(started)}\t` +
              `${submitted === undefined ? NULL : tsz(submitted)}\t${score}\t${bool(rng.chance(0.02))}`,
          );
          started = minNow(started + (1 + rng.int(20)) * DAY);
        }
      });
    };
  },
};

function ageRange(dateOfBirth: number | undefined, pick: number): string {
  if (dateOfBirth === undefined) return AGE_RANGES[pick % AGE_RANGES.length] as string;
  const age = (DEMO_NOW - dateOfBirth) / YEAR;
  const bounds = [18, 25, 35, 45, 55, 65];
  let i = 0;
  while (i < bounds.length && age >= (bounds[i] as number)) i++;
  return AGE_RANGES[i] as string;
}

export const SURVEY_RESPONSES: TableDefinition = {
  table: "survey_responses",
  columns: [
    "id",
    "survey_id",
    "user_id",
    "gender",
    "age_range",
    "education_level",
    "employment_status",
    "answers",
    "submitted_at",
  ],
  units: perLearner,
  start: ({ plan, people }, rng) => {
    let id = 0;
    return (u, out) => {
      const n = plan.perLearner.survey_responses[u - 1] as number;
      if (n === 0) return;
      const first = rng.int(plan.surveys);
      const signup = people.signup(u);
      for (let j = 0; j < n; j++) {
        const gender = rng.chance(0.15) ? undefined : rng.pick(GENDERS);
        const age = rng.chance(0.1) ? undefined : ageRange(people.dateOfBirth(u), rng.next());
        const education = rng.chance(0.2) ? undefined : rng.pick(EDUCATION_LEVELS);
        const employment = rng.chance(0.2) ? undefined : rng.pick(EMPLOYMENT);
        const answers =
          `{"goal":"${rng.pick(LEARNING_GOALS)}","hours_per_week":${1 + rng.int(20)},` +
          `"satisfaction":${1 + rng.int(5)},"would_recommend":${rng.chance(0.8)}}`;
        out.row(
          `${++id}\t${((first + j) % plan.surveys) + 1}\t${u}\t${opt(gender)}\t${opt(age)}\t${opt(education)}\t` +
            `${opt(employment)}\t${answers}\t${tsz(signup + rng.float() * (DEMO_NOW - signup))}`,
        );
      }
    };
  },
};

export const FORUM_POSTS: TableDefinition = {
  table: "forum_posts",
  columns: ["id", "course_id", "author_id", "title", "body", "upvotes", "created_at", "edited_at"],
  units: perLearner,
  start: (ctx, rng) => {
    const { plan, people, catalogue } = ctx;
    const enrollments = new EnrollmentCursor(ctx);
    let id = 0;
    return (u, out) => {
      enrollments.enter(u);
      const n = plan.perLearner.forum_posts[u - 1] as number;
      const signup = people.signup(u);
      for (let p = 0; p < n; p++) {
        const course = enrollments.randomCourse(rng);
        // Some authors have already been erased: their posts stay public without them.
        const author = rng.chance(0.04) ? NULL : String(u);
        const title = rng.chance(0.3) ? text(`Question about ${catalogue.course(course).topic}`) : NULL;
        const body = rng.chance(0.6) ? rng.pick(SENTENCES) : `${rng.pick(SENTENCES)}\n\n${rng.pick(SENTENCES)}`;
        const created = signup + rng.float() * (DEMO_NOW - signup);
        const edited = rng.chance(0.1) ? tsz(minNow(created + rng.float() * 3 * DAY)) : NULL;
        const upvotes = rng.chance(0.5) ? 0 : Math.floor(1 / (1 - rng.float() * 0.98));
        out.row(`${++id}\t${course}\t${author}\t${title}\t${text(body)}\t${upvotes}\t${tsz(created)}\t${edited}`);
      }
    };
  },
};

export const LEARNING_TABLES: readonly TableDefinition[] = [
  ENROLLMENTS,
  ASSIGNMENT_SUBMISSIONS,
  PEER_REVIEWS,
  QUIZ_RESPONSES,
  EXAM_ATTEMPTS,
  SURVEY_RESPONSES,
  FORUM_POSTS,
];
