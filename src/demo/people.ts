/**
 * Facts about demo learner `u` (1-based users.id) that several tables must agree on — name, e-mail, country, sign-up
 * time, date of birth, device ids, home IP. They are pure hashes of (seed, u) rather than draws from a stream, so any
 * table's generator can ask for them in any order and still get the same answer as the `users` table.
 */
import { cumulative, mix32 } from "./prng.ts";
import { COUNTRIES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES } from "./vocabulary.ts";

/** The demo's "today": fixed, so that the same seed gives byte-identical rows whenever it runs. */
export const DEMO_NOW = Date.UTC(2025, 5, 30, 12, 0, 0);
const FIRST_SIGNUP = Date.UTC(2014, 0, 1);
const SIGNUP_SPAN = DEMO_NOW - FIRST_SIGNUP;
const YEAR = 365.25 * 86_400_000;

const COUNTRY_CDF = cumulative(COUNTRIES.map((c) => c[1]));

/** Lower-case ASCII for e-mail local parts: "Łukasz" → "lukasz", "Ji-woo" → "jiwoo". */
function slug(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/Ł/g, "L")
    .replace(/ł/g, "l")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}
const FIRST_SLUGS = FIRST_NAMES.map(slug);
const LAST_SLUGS = LAST_NAMES.map(slug);

const hex8 = (n: number): string => n.toString(16).padStart(8, "0");

/** Same-seed-same-answer facts about each learner. */
export class People {
  constructor(
    readonly seed: number,
    readonly learners: number,
  ) {}

  private h(u: number, salt: number): number {
    return mix32(this.seed, u, salt);
  }

  firstName(u: number): string {
    return FIRST_NAMES[this.h(u, 1) % FIRST_NAMES.length] as string;
  }

  lastName(u: number): string {
    return LAST_NAMES[this.h(u, 2) % LAST_NAMES.length] as string;
  }

  fullName(u: number): string {
    return `${this.firstName(u)} ${this.lastName(u)}`;
  }

  /** Unique because it carries the user id: "amara.okafor123@example.org". */
  email(u: number): string {
    const first = FIRST_SLUGS[this.h(u, 1) % FIRST_SLUGS.length];
    const last = LAST_SLUGS[this.h(u, 2) % LAST_SLUGS.length];
    return `${first}.${last}${u}@${EMAIL_DOMAINS[this.h(u, 3) % EMAIL_DOMAINS.length]}`;
  }

  /** Index into COUNTRIES, drawn with the countries' weights. */
  country(u: number): number {
    const x = this.h(u, 4) / 4294967296;
    let i = 0;
    while (i < COUNTRY_CDF.length - 1 && x >= (COUNTRY_CDF[i] as number)) i++;
    return i;
  }

  /** Sign-up time in ms; more learners joined recently than long ago. */
  signup(u: number): number {
    const x = this.h(u, 5) / 4294967296;
    return Math.floor(DEMO_NOW - SIGNUP_SPAN * x * x) - (this.h(u, 6) % 3_600_000);
  }

  /**
   * Date of birth in ms (midnight UTC), or undefined when the learner did not give one (about 30%). About 0.15% are
   * under 13 today, so the under-minimum-age deletion has someone to find.
   */
  dateOfBirth(u: number): number | undefined {
    const h = this.h(u, 7);
    if (h % 100 >= 70) return undefined;
    const child = this.h(u, 8) % 10_000 < 15;
    const x = this.h(u, 9) / 4294967296;
    const age = child ? 9 + x * 3.9 : 16 + 54 * x * x;
    const ms = DEMO_NOW - age * YEAR;
    return ms - (ms % 86_400_000);
  }

  /** The browser cookie id every web visit carries. */
  cookieId(u: number): string {
    return `ck_${hex8(this.h(u, 10))}${hex8(this.h(u, 11))}`;
  }

  /** The app's device id for the 45% who use the mobile app. */
  mobileDeviceId(u: number): string | undefined {
    if (this.h(u, 12) % 100 >= 45) return undefined;
    const a = hex8(this.h(u, 13));
    const b = hex8(this.h(u, 14));
    const c = hex8(this.h(u, 15));
    const d = hex8(this.h(u, 16));
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }

  /** The address most of the learner's traffic comes from (documentation ranges only). */
  homeIp(u: number): string {
    const h = this.h(u, 17);
    if (h % 4 === 0)
      return `2001:db8:${(h >>> 16).toString(16)}:${(h & 0xfff0).toString(16)}::${(u & 0xffff).toString(16)}`;
    const net = ["192.0.2.", "198.51.100.", "203.0.113."][h % 3];
    return `${net}${((h >>> 8) % 254) + 1}`;
  }
}
