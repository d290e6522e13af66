/** The opening summary of the report (what was searched, what is in the package) and the places we could not search. */

import type { AccessResult } from "../engine/access-result.ts";
import type { Manifest } from "../manifest/types.ts";
import { escapeHtml as esc } from "../notice/html-escape.ts";
import { categoryName } from "../notice/manifest-facts.ts";
import { humanize, listInWords } from "../notice/plain-words.ts";
import { list, paragraph, section } from "./html-parts.ts";
import { textInWords } from "./value-html.ts";

/** Identity types as a person names them; any other type is spelled out from its key. */
const IDENTITY_WORDS: Readonly<Record<string, string>> = {
  email: "e-mail address",
  phone: "phone number",
  phone_number: "phone number",
  user_id: "account number",
};
const identityInWords = (type: string): string => IDENTITY_WORDS[type] ?? humanize(type).toLowerCase();

export function summarySection(m: Manifest, result: AccessResult): string {
  const found = result.collections.filter((c) => c.rows.length > 0).length;
  const searched = result.collections.length;
  const outcome =
    found === 0
      ? "found nothing about you"
      : searched === 1
        ? "found data about you there"
        : `found data about you in ${found === searched ? "all" : found} of them`;
  const parts = [
    paragraph(
      `This is a copy of the personal data we hold about you, as we found it on ${esc(textInWords(result.generated_at))}, ` +
        "in answer to your request to access your data (GDPR Art. 15).",
      "lead",
    ),
    paragraph(
      `We searched ${searched === 1 ? "one place" : `${searched} places`} that can hold personal data and ${outcome}` +
        (result.identities.length > 0
          ? `, looking for records linked to your ${listInWords(result.identities.map((i) => esc(identityInWords(i))))}.`
          : "."),
    ),
  ];
  if (result.categories.length > 0)
    parts.push(
      paragraph(
        `As you asked, we looked only for: ${esc(listInWords(result.categories.map((k) => categoryName(m, k))))}.`,
      ),
    );
  if (result.unreached.length > 0)
    parts.push(
      paragraph(
        `There ${result.unreached.length === 1 ? "is one place" : `are ${result.unreached.length} places`} we could not ` +
          `search; <a href="#unreached">see why</a>.`,
        "note",
      ),
    );
  parts.push(
    paragraph("This package holds your data three ways:"),
    list(
      [
        "<code>report.html</code> — this page, to read",
        "<code>data.json</code> — everything in a machine-readable form, to take to another service",
        "<code>csv/</code> — one spreadsheet per place we found data, to open in a spreadsheet program",
      ],
      "files",
    ),
  );
  return section("summary", 2, "In short", parts.join("\n"));
}

/** Places holding personal data that the request could not reach, with the reason; nothing when there are none. */
export function unreachedSection(result: AccessResult): string {
  if (result.unreached.length === 0) return "";
  return section(
    "unreached",
    2,
    "Where we could not search",
    paragraph("Our records list these places as holding personal data, but we could not search them for you:") +
      list(
        result.unreached.map(
          (u) =>
            `We could not search <strong>${esc(humanize(u.collection.slice(u.collection.indexOf(".") + 1)))}</strong> ` +
            `(<code>${esc(u.collection)}</code>): ${esc(u.why)}`,
        ),
      ),
  );
}
