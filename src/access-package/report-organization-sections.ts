/**
 * The parts of the report that come from the organization and the rights it declares: who holds the data (the
 * controller, its contact, its DPO and representatives) and what the person can do next, up to a complaint to a
 * supervisory authority (GDPR Art. 15(1)(e)–(f), Art. 77). A manifest without an organization still gets both
 * sections, saying what is not declared.
 */

import { type Manifest, REQUEST_TYPES } from "../manifest/types.ts";
import { escapeHtml as esc } from "../notice/html-escape.ts";
import { addressInWords, countryName, REQUEST_NAMES } from "../notice/plain-words.ts";
import { facts, link, list, mailLink, paragraph, section } from "./html-parts.ts";

/** How the person reaches the controller, as the end of a sentence ("write to us at …."). */
export function askUs(m: Manifest): string {
  const o = m.organization;
  return o ? `write to us at ${mailLink(o.contact_email)}.` : "ask the organization that sent you this package.";
}

export function controllerSection(m: Manifest): string {
  const o = m.organization;
  if (!o)
    return section(
      "controller",
      2,
      "Who holds your data",
      paragraph(
        "The records this package was made from do not name the organization responsible for your data (the " +
          "controller), its contact details or its data protection officer. The organization that sent you this " +
          "package is responsible for it; ask it for these details.",
        "undeclared",
      ),
    );
  const pairs: [string, string][] = [
    ["Organization", esc(o.legal_name === o.name ? o.name : `${o.legal_name} (${o.name})`)],
    ["Address", esc(addressInWords(o.address))],
    ["Contact for your data", mailLink(o.contact_email)],
    [
      "Data protection officer",
      o.dpo
        ? `${esc(o.dpo.name)}, ${mailLink(o.dpo.email)}`
        : `<span class="undeclared">None named; write to ${mailLink(o.contact_email)}.</span>`,
    ],
  ];
  for (const r of o.representatives)
    pairs.push([
      r.region === "EU" ? "Representative in the EU" : "Representative in the UK",
      `${esc(r.name)}, ${mailLink(r.email)}`,
    ]);
  return section(
    "controller",
    2,
    "Who holds your data",
    paragraph(`${esc(o.name)} decides why and how your personal data is used, and answers for it.`) + facts(pairs),
  );
}

function otherRights(m: Manifest): string {
  const declared = new Set(m.rights.flatMap((r) => r.requests));
  const asks = REQUEST_TYPES.filter((q) => q !== "access" && (m.rights.length === 0 || declared.has(q)));
  const lead = m.rights.length > 0 ? "Depending on where you live, you can also ask us to:" : "You can also ask us to:";
  return paragraph(lead) + list(asks.map((q) => esc(REQUEST_NAMES[q])));
}

function authorities(m: Manifest): string {
  const own = (m.organization?.supervisory_authorities ?? []).map(
    (a) => `${a.url ? link(a.name, a.url) : esc(a.name)} (${esc(countryName(a.country))})`,
  );
  const byRegion = m.rights
    .filter((r) => r.complaint_authorities.length > 0)
    .map((r) => `<strong>${esc(r.name)}</strong>: ${esc(r.complaint_authorities.join("; "))}`);
  if (own.length === 0 && byRegion.length === 0)
    return paragraph(
      "Our records name no authority; the data protection authority of the country where you live can help you.",
      "undeclared",
    );
  return (
    (own.length > 0 ? paragraph("Authorities that oversee us:") + list(own) : "") +
    (byRegion.length > 0 ? paragraph("Where to complain, by where you live:") + list(byRegion) : "")
  );
}

export function rightsSection(m: Manifest): string {
  const o = m.organization;
  const dpo = o?.dpo ? `, or to our data protection officer at ${mailLink(o.dpo.email)}` : "";
  const body = [
    paragraph(
      o
        ? `If something here is wrong or missing, write to us at ${mailLink(o.contact_email)}${dpo}.`
        : "If something here is wrong or missing, tell the organization that sent you this package.",
    ),
    otherRights(m),
    paragraph(
      "You have the right to complain to a data protection supervisory authority (GDPR Art. 77), in particular in " +
        "the country where you live or work, or where you think the law was broken.",
    ),
    authorities(m),
  ];
  return section("rights", 2, "Your rights and how to complain", body.join("\n"));
}
