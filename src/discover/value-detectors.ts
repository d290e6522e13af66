/**
 * What a sampled value can look like. Each detector tests one value (as text, see sampled-text.ts) and says how large
 * a share of a column's non-empty sampled values must match before it suggests its category: precise shapes (an
 * e-mail address) count from a single value, loose ones (a digit string that passes Luhn, a common first name) only
 * when most values agree.
 */
import { isIPv6 } from "node:net";
import { GIVEN_NAMES } from "./given-names.ts";
import { passesLuhn } from "./luhn.ts";

export interface ValueDetector {
  readonly category: string;
  /** For the reason: "N/M sampled values look like <this>". */
  readonly lookLike: string;
  /** Share of non-empty sampled values that must match (0: a single match is enough). */
  readonly minShare: number;
  readonly test: (text: string, today: Date) => boolean;
}

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:".]+(\.[^\s@<>()[\],;:".]+)*\.[a-z]{2,63}$/i;
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERSON_NAME = /^\p{L}[\p{L}'’.-]*( \p{L}[\p{L}'’.-]*){0,3}$/u;

export const isEmail = (text: string): boolean => text.length <= 254 && EMAIL.test(text);

export const isIpAddress = (text: string): boolean => IPV4.test(text) || (text.includes(":") && isIPv6(text));

/** E.164-ish: 8 to 15 digits, written with a leading + or with spaces, dashes or brackets (so no bare number). */
export function isPhoneNumber(text: string): boolean {
  if (!/^\+?[\d\s().-]+$/.test(text) || ISO_DATE.test(text) || IPV4.test(text)) return false;
  const digits = text.replace(/\D/g, "").length;
  return digits >= 8 && digits <= 15 && (text.startsWith("+") || /[\s()-]/.test(text));
}

/** 13 to 19 digits (spaces or dashes between groups allowed) that pass Luhn and are not one digit repeated. */
export function isCardNumber(text: string): boolean {
  if (!/^\d[\d -]*\d$/.test(text)) return false;
  const digits = text.replace(/[ -]/g, "");
  return digits.length >= 13 && digits.length <= 19 && !/^(\d)\1+$/.test(digits) && passesLuhn(digits);
}

/** A calendar date (no time of day) that makes its holder between 0 and 120 years old on `today`. */
export function isBirthDate(text: string, today: Date): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const date = new Date(year, month - 1, day);
  const oldest = new Date(today.getFullYear() - 120, today.getMonth(), today.getDate());
  return date >= oldest && date <= today;
}

/** One to four words of letters whose first name (accents ignored) is a common given name. */
export function isPersonName(text: string): boolean {
  if (text.length > 60 || !PERSON_NAME.test(text)) return false;
  const first = text.split(/[\s-]/)[0]!.normalize("NFD").replace(/\p{M}/gu, "");
  return GIVEN_NAMES.has(first.toLowerCase());
}

export const VALUE_DETECTORS: readonly ValueDetector[] = [
  { category: "user.contact.email", lookLike: "e-mail addresses", minShare: 0, test: isEmail },
  { category: "user.financial.credit_card", lookLike: "payment card numbers", minShare: 0.8, test: isCardNumber },
  { category: "user.device.ip_address", lookLike: "IP addresses", minShare: 0.5, test: isIpAddress },
  { category: "user.contact.phone_number", lookLike: "phone numbers", minShare: 0.5, test: isPhoneNumber },
  { category: "user.demographic.date_of_birth", lookLike: "dates of birth", minShare: 0.9, test: isBirthDate },
  { category: "user.name", lookLike: "person names", minShare: 0.3, test: isPersonName },
];
