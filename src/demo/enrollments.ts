/**
 * A learner's enrollments as a slice of the plan's per-enrollment arrays. The generators walk the learners in id order,
 * so one running offset per table is enough to find each learner's enrollments without any table reading another.
 */
import { TIME } from "./catalogue.ts";
import type { Prng } from "./prng.ts";
import type { GeneratorContext } from "./table-definition.ts";

/** `enrollment` is the enrollment's id (its index + 1); `enrolled` its enrolled_at; `n` its count (1 without counts). */
export type EnrollmentVisitor = (enrollment: number, enrolled: number, n: number) => void;

export class EnrollmentCursor {
  /** Index of the current learner's first enrollment. */
  private first = 0;
  /** How many enrollments the current learner has. */
  private count = 0;

  /**
   * `counts`, indexed like the enrollments (e.g. the plan's submissions per enrollment), makes `walk` skip the
   * enrollments whose count is 0 and pass the count on; without it every enrollment is visited with n = 1.
   */
  constructor(
    private readonly ctx: GeneratorContext,
    private readonly counts?: Uint8Array,
  ) {}

  /** Moves to learner `u`; must be called once for every learner, in id order. */
  enter(u: number): void {
    this.first += this.count;
    this.count = this.ctx.plan.perLearner.enrollments[u - 1] as number;
  }

  /** Moves to learner `u` and visits each of their enrollments in order. Draws nothing from any random stream. */
  walk(u: number, visit: EnrollmentVisitor): void {
    this.enter(u);
    const { people, catalogue } = this.ctx;
    const counts = this.counts;
    const signup = people.signup(u);
    for (let e = this.first; e < this.first + this.count; e++) {
      const n = counts === undefined ? 1 : (counts[e] as number);
      if (n === 0) continue;
      visit(e + 1, catalogue.after(signup, e + 1, TIME.enrolled), n);
    }
  }

  /** The course of one of the current learner's enrollments, drawn with `rng.int` (once). */
  randomCourse(rng: Prng): number {
    return this.ctx.plan.enrollmentCourse[this.first + rng.int(this.count)] as number;
  }
}
