/**
 * The shape of a demo data set before any row is written: how many of each child row every learner, enrolment,
 * submission and lecture has. Generators read these counts, so each table can be produced on its own, in any order
 * or concurrently, and the row count of every table is known up front (for the progress bar and for tests).
 */
import { cumulative, hashName, Prng } from "./prng.ts";

/** The tables of the learning_app database, in the order they are loaded. */
export const APP_TABLES = [
  "users",
  "profiles",
  "third_party_logins",
  "email_subscriptions",
  "courses",
  "degree_programs",
  "enrollments",
  "assignment_submissions",
  "peer_reviews",
  "quiz_responses",
  "exam_attempts",
  "surveys",
  "survey_responses",
  "forum_posts",
  "identity_verifications",
  "financial_aid_applications",
  "payment_customers",
  "support_chats",
  "recorded_lectures",
  "lecture_student_contacts",
  "session_replays",
] as const;

/** The tables of the learning_analytics database, in the order they are loaded. */
export const ANALYTICS_TABLES = [
  "clickstream_events",
  "email_engagement_events",
  "partner_site_activity",
  "ereader_usage",
  "lecture_views",
  "marketing_audience_members",
  "recommendation_features",
] as const;

export type AppTable = (typeof APP_TABLES)[number];
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number];
export type DemoTable = AppTable | AnalyticsTable;

/**
 * P(count = 0), P(count = 1), … of each learner's rows in tables that hang off users directly. Averages per learner:
 * logins 0.4, subscriptions 1.6, survey responses 0.25, forum posts 0.31, verifications 0.14, aid 0.03, payment
 * customers 0.28, chats 0.07, replays 0.3, clicks 5, e-mail events 2, partner 0.28, e-reader 0.25, lecture views 0.25,
 * audiences 0.5, features 0.7.
 */
const PER_LEARNER = {
  third_party_logins: [65, 30, 5],
  email_subscriptions: [15, 30, 30, 15, 10],
  survey_responses: [80, 15, 5],
  forum_posts: [85, 8, 4, 0, 0, 3],
  identity_verifications: [88, 10, 2],
  financial_aid_applications: [97, 3],
  payment_customers: [75, 22, 3],
  support_chats: [94, 5, 1],
  session_replays: [80, 15, 0, 5],
  clickstream_events: [9, 9, 9, 9, 9, 10, 9, 9, 9, 9, 9],
  email_engagement_events: [30, 20, 15, 15, 10, 10],
  partner_site_activity: [80, 12, 8],
  ereader_usage: [85, 10, 0, 5],
  lecture_views: [85, 10, 0, 5],
  marketing_audience_members: [60, 30, 10],
  recommendation_features: [30, 70],
} as const;
type PerLearnerTable = keyof typeof PER_LEARNER;

const ENROLLMENTS = cumulative([30, 25, 20, 15, 10]); // 1..5 per learner
const SUBMISSIONS = cumulative([45, 35, 20]); // per enrolment
const QUIZ_RESPONSES = cumulative([25, 25, 25, 25]); // per enrolment
const EXAM_ATTEMPTS = cumulative([70, 22, 8]); // per enrolment
const PEER_REVIEWS = cumulative([40, 35, 25]); // per submission
const LECTURES = cumulative([0, 30, 25, 20, 10, 10, 5]); // 1..6 per instructor
/** Share of learners enrolled in a degree programme (all their enrolments are for credit). */
const DEGREE_SHARE = 0.02;
/** One learner in this many (users 100, 300, 500, …) also teaches recorded lectures. */
const INSTRUCTOR_EVERY = 200;

export interface SeedPlan {
  readonly seed: number;
  readonly learners: number;
  readonly courses: number;
  readonly degreePrograms: number;
  readonly surveys: number;
  /** Per learner (index u - 1): how many rows of each per-learner table. */
  readonly perLearner: Readonly<Record<PerLearnerTable | "enrollments" | "recorded_lectures", Uint8Array>>;
  /** Per learner: degree programme id, 0 when none. */
  readonly degreeProgram: Uint16Array;
  /** Per enrolment (index id - 1): course id and child-row counts. */
  readonly enrollmentCourse: Int32Array;
  readonly submissionsPerEnrollment: Uint8Array;
  readonly quizResponsesPerEnrollment: Uint8Array;
  readonly examAttemptsPerEnrollment: Uint8Array;
  /** Per submission: how many peer reviews it received. */
  readonly reviewsPerSubmission: Uint8Array;
  /** Per lecture: how many student contacts the instructor supplied. */
  readonly contactsPerLecture: Uint8Array;
  /** Rows each table will hold. */
  readonly rows: Readonly<Record<DemoTable, number>>;
}

/**
 * Draws the counts for `learners` learners. Costs about a second and ~60 MB per million learners.
 *
 * @example
 *   const plan = planSeed(200, 1);
 *   plan.rows.enrollments; // about 500
 */
export function planSeed(learners: number, seed: number): SeedPlan {
  const rng = new Prng(seed, hashName("plan"));
  const courses = Math.max(20, Math.ceil(learners / 200));
  const degreePrograms = Math.max(3, Math.min(60_000, Math.ceil(learners / 20_000)));
  const surveys = Math.max(5, Math.ceil(courses / 10));

  const perLearner = {} as Record<PerLearnerTable | "enrollments" | "recorded_lectures", Uint8Array>;
  const rows = {} as Record<DemoTable, number>;
  for (const table of [...APP_TABLES, ...ANALYTICS_TABLES]) rows[table] = 0;
  const cdfs = Object.entries(PER_LEARNER).map(([table, weights]) => {
    perLearner[table as PerLearnerTable] = new Uint8Array(learners);
    return [table as PerLearnerTable, cumulative(weights)] as const;
  });
  perLearner.enrollments = new Uint8Array(learners);
  perLearner.recorded_lectures = new Uint8Array(learners);
  const degreeProgram = new Uint16Array(learners);
  const enrollmentCourse = new Int32Array(learners * 5);
  const submissions = new Uint8Array(learners * 5);
  const quizzes = new Uint8Array(learners * 5);
  const exams = new Uint8Array(learners * 5);

  let enrollment = 0;
  let lectures = 0;
  const chosen: number[] = [];
  for (let i = 0; i < learners; i++) {
    for (const [table, cdf] of cdfs) {
      const n = rng.weighted(cdf);
      perLearner[table][i] = n;
      rows[table] += n;
    }
    if (rng.chance(DEGREE_SHARE)) degreeProgram[i] = 1 + rng.int(degreePrograms);
    const k = 1 + rng.weighted(ENROLLMENTS);
    perLearner.enrollments[i] = k;
    chosen.length = 0;
    for (let j = 0; j < k; j++) {
      let course = 1 + rng.int(courses);
      while (chosen.includes(course)) course = 1 + rng.int(courses);
      chosen.push(course);
      enrollmentCourse[enrollment] = course;
      submissions[enrollment] = rng.weighted(SUBMISSIONS);
      quizzes[enrollment] = rng.weighted(QUIZ_RESPONSES);
      exams[enrollment] = rng.weighted(EXAM_ATTEMPTS);
      rows.assignment_submissions += submissions[enrollment] as number;
      rows.quiz_responses += quizzes[enrollment] as number;
      rows.exam_attempts += exams[enrollment] as number;
      enrollment++;
    }
    if ((i + 1) % INSTRUCTOR_EVERY === INSTRUCTOR_EVERY / 2) {
      const n = rng.weighted(LECTURES);
      perLearner.recorded_lectures[i] = n;
      lectures += n;
    }
  }
  rows.users = learners;
  rows.profiles = learners;
  rows.enrollments = enrollment;
  rows.recorded_lectures = lectures;
  rows.courses = courses;
  rows.degree_programs = degreePrograms;
  rows.surveys = surveys;
  // Views need a lecture to view; with none in a tiny data set, nobody views anything.
  if (lectures === 0) {
    perLearner.lecture_views.fill(0);
    rows.lecture_views = 0;
  }

  // Peer reviews come from other learners, distinct per submission: at most learners - 1 of them.
  const maxReviews = Math.min(2, learners - 1);
  const reviewsPerSubmission = new Uint8Array(rows.assignment_submissions);
  for (let s = 0; s < reviewsPerSubmission.length; s++) {
    const n = Math.min(maxReviews, rng.weighted(PEER_REVIEWS));
    reviewsPerSubmission[s] = n;
    rows.peer_reviews += n;
  }
  const contactsPerLecture = new Uint8Array(lectures);
  for (let l = 0; l < lectures; l++) {
    const n = rng.int(31);
    contactsPerLecture[l] = n;
    rows.lecture_student_contacts += n;
  }

  return {
    seed,
    learners,
    courses,
    degreePrograms,
    surveys,
    perLearner,
    degreeProgram,
    enrollmentCourse: enrollmentCourse.slice(0, enrollment),
    submissionsPerEnrollment: submissions.slice(0, enrollment),
    quizResponsesPerEnrollment: quizzes.slice(0, enrollment),
    examAttemptsPerEnrollment: exams.slice(0, enrollment),
    reviewsPerSubmission,
    contactsPerLecture,
    rows,
  };
}
