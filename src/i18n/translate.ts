/**
 * The words the person and the operator read, by locale. Catalogues are plain objects of message keys (one per face:
 * `common`, `center`, `admin`, `requests`), English first; every other locale must have every English key (the type
 * checker and a test hold them to it). `{name}` in a message is a parameter; a key ending in `_one` / `_other` is a
 * plural chosen with `Intl.PluralRules`. Dates are formatted in the locale and the deployment's time zone.
 *
 * @example
 *   const t = translator("de", "Europe/Berlin");
 *   t.t("center.home.title", { org: "Lernplattform" });
 *   t.plural("admin.queue.days_left", 3);     // "noch 3 Tage"
 *   t.date(new Date());                        // "2. Dezember 2026"
 */
import { DE } from "./messages-de.ts";
import { EN, type MessageKey } from "./messages-en.ts";

export const LOCALES = ["en", "de"] as const;
export type Locale = (typeof LOCALES)[number];
export type { MessageKey };

/** A message to be put in words later, in whatever locale the reader has. */
export interface Message {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, string | number>>;
}

const CATALOGUES: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { en: EN, de: DE };

/** The locale names in their own language, for the switcher. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { en: "English", de: "Deutsch" };

export interface Translator {
  readonly locale: Locale;
  t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string;
  /** `key_one` or `key_other` by the count, with `{count}` set. */
  plural(key: string, count: number, params?: Readonly<Record<string, string | number>>): string;
  say(message: Message): string;
  /** "2 December 2026" / "2. Dezember 2026". */
  date(d: Date | string): string;
  /** The date and the time of day. */
  dateTime(d: Date | string): string;
  number(n: number, options?: Intl.NumberFormatOptions): string;
}

const fill = (text: string, params: Readonly<Record<string, string | number>> | undefined) =>
  params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : text;

/**
 * `formatting` is the regional variant dates and numbers follow (`en-GB`: "2 December 2026"); it defaults to the
 * locale, and is used only when it is a variant of it.
 */
export function translator(locale: Locale, timeZone = "UTC", formatting?: string): Translator {
  const words = CATALOGUES[locale];
  let region: string = locale;
  try {
    if (formatting && formatting.toLowerCase().split("-")[0] === locale)
      region = Intl.getCanonicalLocales(formatting)[0] ?? locale;
  } catch {
    region = locale;
  }
  const rules = new Intl.PluralRules(locale);
  const dates = new Intl.DateTimeFormat(region, { dateStyle: "long", timeZone });
  const times = new Intl.DateTimeFormat(region, { dateStyle: "medium", timeStyle: "short", timeZone });
  const t = (key: MessageKey, params?: Readonly<Record<string, string | number>>) =>
    fill(words[key] ?? EN[key] ?? key, params);
  return {
    locale,
    t,
    plural(key, count, params) {
      const form = rules.select(count) === "one" ? "one" : "other";
      return t(`${key}_${form}` as MessageKey, { ...params, count: new Intl.NumberFormat(region).format(count) });
    },
    say: (m) => t(m.key, m.params),
    date: (d) => dates.format(typeof d === "string" ? new Date(d) : d),
    dateTime: (d) => times.format(typeof d === "string" ? new Date(d) : d),
    number: (n, options) => new Intl.NumberFormat(region, options).format(n),
  };
}

/** English, for the API's and the CLI's words. */
export const ENGLISH = translator("en");

const isLocale = (value: string | undefined): value is Locale => (LOCALES as readonly string[]).includes(value ?? "");

/**
 * The reader's locale: the one they chose (the switcher's cookie or `?lang=`), else the first of `Accept-Language`
 * (by q-value) that we have, else English.
 */
export function pickLocale(chosen: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(chosen)) return chosen;
  const wanted = (acceptLanguage ?? "")
    .split(",")
    .map((part, i) => {
      const [tag = "", ...rest] = part.trim().split(";");
      const q = rest.map((r) => r.trim()).find((r) => r.startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((w) => w.tag && w.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const w of wanted) {
    const base = w.tag.split("-")[0];
    if (isLocale(base)) return base;
  }
  return "en";
}

/** The first tag of Accept-Language in the locale's language ("en-GB" for English), for dates and numbers. */
export function formattingLocale(locale: Locale, acceptLanguage: string | undefined): string | undefined {
  return (acceptLanguage ?? "")
    .split(",")
    .map((part) => part.trim().split(";")[0]?.trim() ?? "")
    .find((tag) => tag.toLowerCase().split("-")[0] === locale && tag.includes("-"));
}
