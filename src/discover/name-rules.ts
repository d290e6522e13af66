/**
 * Data categories suggested by a column's name. Each rule lists word sequences (see column-words.ts); the first rule
 * with a sequence in the column's words wins, so the specific rules (`email_address`, `ip_address`) come before the
 * general ones (`address`). A name is only a hint: every suggestion is marked for review.
 */
import { columnWords, indexOfWords } from "./column-words.ts";

export interface NameRule {
  readonly category: string;
  readonly sequences: readonly (readonly string[])[];
  /** Only in a table of people (`users`, `customers`, …): a bare `name` elsewhere is a product's or a course's. */
  readonly peopleTableOnly?: boolean;
}

const r = (category: string, sequences: string, peopleTableOnly = false): NameRule => ({
  category,
  sequences: sequences.split(",").map((s) => s.trim().split(" ")),
  ...(peopleTableOnly ? { peopleTableOnly } : {}),
});

/** In priority order. */
export const NAME_RULES: readonly NameRule[] = [
  r("user.demographic.date_of_birth", "dob, birth, birthday, birthdate, born"),
  r("user.contact.email", "email, e mail, emailaddress, mail"),
  r("user.contact.fax_number", "fax"),
  r("user.contact.phone_number", "phone, telephone, tel, mobile, msisdn, cellphone, cell phone, phonenumber"),
  r("user.device.ip_address", "ip, ipaddress, ipv 4, ipv 6, remote addr, client addr"),
  r("user.authorization.password", "password, passwd, pwd, passphrase, pass hash"),
  r("user.financial.credit_card", "card, cardnumber, credit card, cc number, cc num, pan"),
  r("user.financial.bank_account", "iban, bank account, account number, routing number, sort code, bic, swift"),
  r(
    "user.government_id.national_identification_number",
    "ssn, social security, national id, nin, nino, tax id, tin, personal number",
  ),
  r("user.government_id.passport_number", "passport"),
  r("user.government_id.drivers_license_number", "drivers license, driver license, driving licence, licence number"),
  r("user.name.first", "first name, firstname, given name, forename, fname"),
  r("user.name.last", "last name, lastname, surname, family name, lname"),
  r("user.account.username", "username, user name, login, handle, nickname, screen name"),
  r("user.name", "full name, fullname, display name, displayname, middle name, person name, customer name"),
  r("user.name", "name", true),
  r("user.device.device_id", "device id, deviceid, idfa, gaid, advertising id, udid, android id"),
  r("user.device.cookie_id", "cookie id, cookie"),
  r("user.device", "user agent, useragent, mac"),
  r("user.contact.address.street", "street, address line, address 1, address 2, addr line, house number"),
  r("user.contact.address.city", "city, town"),
  r("user.contact.address.postal_code", "zip, zipcode, zip code, postal, postcode, post code, postal code"),
  r("user.contact.address.state", "province, billing state, shipping state, address state"),
  r("user.contact.address.country", "country"),
  r("user.contact.address", "address, addr"),
  r("user.location.precise", "latitude, longitude, lat, lng, lon, geolocation, coordinates"),
  r("user.demographic.gender", "gender, sex"),
  r("user.content.self_image", "avatar, photo, selfie, profile picture, profile image"),
  r("user.unique_id", "user id, customer id, member id, person id, learner id, student id, subscriber id, profile id"),
];

/** Last words that make a column about the thing rather than the thing itself: `email_verified_at`, `phone_type`. */
const QUALIFIERS = new Set(
  "at on time timestamp ts date datetime count total status type kind verified confirmed enabled flag sent template format version".split(
    " ",
  ),
);
/** Last words of a column that names a row elsewhere (`address_id`), unless the rule itself ends in `id`. */
const KEY_WORDS = new Set(["id", "uuid", "key", "pk", "fk"]);

const PEOPLE_WORDS = new Set(
  "user users customer customers member members person people persons account accounts profile profiles contact contacts learner learners student students employee employees patient patients author authors subscriber subscribers client clients instructor instructors applicant applicants candidate candidates staff".split(
    " ",
  ),
);

/** A table whose name says it holds people (`users`, `customer_profiles`). */
export function isPeopleTable(table: string): boolean {
  return columnWords(table).some((w) => PEOPLE_WORDS.has(w));
}

/** Last words of a point or a bound in time: `created_at`, `valid_from`, `trial_end`, `due_day`. */
const TIME_WORDS = new Set(
  "at on time timestamp ts date datetime day from until to since start starts end ends expiry due".split(" "),
);

/** A column named like a point in time (`created_at`, `valid_from`, `order_date`): its values are no dates of birth. */
export function isTimestampName(column: string): boolean {
  const words = columnWords(column);
  return (
    TIME_WORDS.has(words[words.length - 1] ?? "") ||
    words.some((w) => ["created", "updated", "deleted", "modified", "expires"].includes(w))
  );
}

export interface NameMatch {
  readonly category: string;
  readonly reason: string;
}

/** The category a column's name suggests, or undefined. */
export function categoryFromName(table: string, column: string): NameMatch | undefined {
  const words = columnWords(column);
  const last = words[words.length - 1] ?? "";
  for (const rule of NAME_RULES) {
    for (const sequence of rule.sequences) {
      const at = indexOfWords(words, sequence);
      if (at < 0) continue;
      const endsRule = at + sequence.length === words.length;
      const isDateOfBirth = rule.category === "user.demographic.date_of_birth";
      if (!endsRule && !isDateOfBirth && (QUALIFIERS.has(last) || KEY_WORDS.has(last))) continue;
      if (rule.peopleTableOnly && (words.length !== 1 || !isPeopleTable(table))) continue;
      return {
        category: rule.category,
        reason: rule.peopleTableOnly
          ? `the column is named "${column}" in a table of people ("${table}")`
          : `the column is named "${column}"`,
      };
    }
  }
  return undefined;
}
