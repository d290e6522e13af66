/**
 * The frame of every page of the privacy center and the admin console: the document head (the one stylesheet and, on
 * pages that want it, the one script — the CSP allows nothing inline), a skip link, the header with the navigation
 * and the language switcher, the error summary when a form came back with errors, and the footer.
 */
import { LOCALE_NAMES, LOCALES, type Translator } from "../i18n/translate.ts";
import { type Html, html } from "./html.ts";

export interface NavItem {
  readonly href: string;
  readonly label: string;
  readonly current?: boolean;
}

export interface FieldError {
  /** The id of the field, which the summary links to. */
  readonly field: string;
  readonly text: string;
  /** Where the summary links when the field is a group (its first input), else `#field`. */
  readonly href?: string;
}

export interface Frame {
  readonly t: Translator;
  readonly face: "center" | "admin";
  /** The brand in the header (the organization's name). */
  readonly brand: string;
  readonly brandHref: string;
  readonly title: string;
  /** The current path and query, for the language switcher's links. */
  readonly url: string;
  readonly nav: readonly NavItem[];
  readonly errors?: readonly FieldError[];
  /** Shown at the right of the header (the console's signed-in operator). */
  readonly aside?: Html;
  readonly footer?: Html;
  /** Loads /assets/steward.js (progressive enhancement). */
  readonly script?: boolean;
}

/** The current URL with `lang` set: the switcher's links keep the page and its other parameters. */
export function withLang(url: string, lang: string): string {
  const [path = "/", query = ""] = url.split("?", 2);
  const params = new URLSearchParams(query);
  params.set("lang", lang);
  return `${path}?${params.toString()}`;
}

export function page(frame: Frame, main: Html): string {
  const { t } = frame;
  const errors = frame.errors ?? [];
  const title = `${errors.length ? `${t.t("common.error_prefix")} ` : ""}${frame.title} – ${frame.brand}`;
  const doc = html`<!doctype html>
<html lang="${t.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/steward.css">
${frame.script ? html`<script src="/assets/steward.js" defer></script>` : ""}
</head>
<body class="${frame.face}">
<a class="skip" href="#main">${t.t("common.skip")}</a>
<header class="site-header">
<div class="wrap">
<a class="brand" href="${frame.brandHref}">${frame.brand}</a>
<nav aria-label="${frame.face === "admin" ? t.t("admin.nav.label") : t.t("center.nav.label")}"><ul>${frame.nav.map(
    (item) => html`<li><a href="${item.href}"${item.current ? html` aria-current="page"` : ""}>${item.label}</a></li>`,
  )}</ul></nav>
<div class="lang" role="group" aria-label="${t.t("common.language")}">${LOCALES.map((l) =>
    l === t.locale
      ? html`<span aria-current="true" lang="${l}">${LOCALE_NAMES[l]}</span>`
      : html`<a href="${withLang(frame.url, l)}" lang="${l}" hreflang="${l}">${LOCALE_NAMES[l]}</a>`,
  )}</div>
${frame.aside ?? ""}
</div>
</header>
<div class="wrap">
<main id="main" tabindex="-1">
${
  errors.length
    ? html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">${t.t("common.error_summary")}</h2>
<ul>${errors.map((e) => html`<li><a href="${e.href ?? `#${e.field}`}">${e.text}</a></li>`)}</ul>
</div>`
    : ""
}
${main}
</main>
</div>
<footer class="site-footer"><div class="wrap">${frame.footer ?? ""}<p>${t.t("common.powered")}</p></div></footer>
</body>
</html>`;
  return doc.value;
}

/** A form field's error, beside it, for the field with that id. */
export const fieldError = (errors: readonly FieldError[] | undefined, field: string, prefix = "Error:"): Html | "" => {
  const e = errors?.find((x) => x.field === field);
  return e
    ? html`<span class="field-error" id="${field}-error"><span class="visually-hidden">${prefix} </span>${e.text}</span>`
    : "";
};
