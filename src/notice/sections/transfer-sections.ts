/** Sections built from the organization's transfer commitments and the systems' countries. */

import { thirdCountries } from "../../manifest/third-country.ts";
import type { System } from "../../manifest/types.ts";
import { type Block, item, link, list, paragraph } from "../notice-document.ts";
import {
  countryInSentence,
  countryName,
  DPF_MECHANISMS,
  listInWords,
  MECHANISM_NAMES,
  MECHANISM_SHORT_NAMES,
  SYSTEM_KIND_NAMES,
} from "../plain-words.ts";
import type { SectionBuilder } from "./notice-context.ts";

function safeguardInWords(s: System): string {
  if (s.transfer_mechanisms.length > 0) return s.transfer_mechanisms.map((x) => MECHANISM_SHORT_NAMES[x]).join(", ");
  if (thirdCountries(s.countries).length === 0) return "none needed: the data stays in the European Economic Area";
  return "not stated";
}

/** "U.S. Federal Trade Commission" → "the U.S. Federal Trade Commission"; names of bodies that take no article stay. */
const withArticle = (body: string): string =>
  /^the\s/i.test(body) || !/\b(Commission|Department|Office|Authority|Agency|Board|Commissioner)\b/.test(body)
    ? body.replace(/^The\s/, "the ")
    : `the ${body}`;

export const internationalTransfers: SectionBuilder = (ctx) => {
  const o = ctx.organization;
  const blocks: Block[] = [];
  const t = o.transfers;
  if (t) {
    blocks.push(
      paragraph(
        `${o.name} is based in ${countryInSentence(o.address.country)} and our services are mainly hosted in ` +
          `${countryInSentence(t.primary_hosting_country)}. When personal data leaves the country where it was collected, ` +
          `we protect it with ${listInWords(t.mechanisms.map((x) => MECHANISM_NAMES[x]))}.`,
      ),
    );
  }
  const located = ctx.manifest.systems.filter((s) => s.countries.length > 0);
  if (located.length > 0)
    blocks.push({
      kind: "table",
      caption: "Where recipients handle personal data, and the safeguard for the transfer",
      head: ["Recipient", "Role", "Countries", "Safeguard"],
      rows: located.map((s) => [
        [s.name],
        [SYSTEM_KIND_NAMES[s.kind]],
        [listInWords(s.countries.map(countryName))],
        [safeguardInWords(s)],
      ]),
    });
  return blocks;
};

export const dpfNotice: SectionBuilder = (ctx) => {
  const o = ctx.organization;
  const t = o.transfers;
  const frameworks = (t?.mechanisms ?? []).filter((x) => DPF_MECHANISMS.includes(x));
  if (!t || frameworks.length === 0) return [];
  const blocks: Block[] = [
    paragraph(
      `${o.legal_name} takes part in, and has certified to the U.S. Department of Commerce that it follows, the ` +
        `Data Privacy Framework principles for personal data received under:`,
    ),
    list(frameworks.map((x) => item([MECHANISM_NAMES[x]]))),
  ];
  if (t.certification_url)
    blocks.push(
      paragraph("Our certification is listed on ", link("the Data Privacy Framework List", t.certification_url), "."),
    );
  blocks.push(
    paragraph(
      `We remain responsible when a service provider handles such data for us in a way that breaks these principles, unless we are not responsible for the harm.`,
    ),
  );
  if (t.independent_recourse)
    blocks.push(
      paragraph(
        `If we cannot settle a complaint about our handling of such data, you can take it, free of charge, to ${t.independent_recourse}. ` +
          "Under certain conditions you may also invoke binding arbitration.",
      ),
    );
  if (t.enforcement_authority)
    blocks.push(
      paragraph(
        `Our compliance is subject to the investigatory and enforcement powers of ${withArticle(t.enforcement_authority)}.`,
      ),
    );
  return blocks;
};
