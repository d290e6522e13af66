/**
 * Sections built from the organization and the notice itself: key information, who we are, scope, security,
 * complaints, children, changes, revisions, external links.
 */
import { categoryName, controllersWeServe, distinct, subjectName, systemName } from "../manifest-facts.ts";
import {
  autoLink,
  type Block,
  type Fact,
  item,
  joinText,
  type ListItem,
  link,
  list,
  paragraph,
  strong,
} from "../notice-document.ts";
import { addressInWords, countryName, dateInWords, humanize, listInWords } from "../plain-words.ts";
import { SECTION_TITLES, sectionId } from "../section-titles.ts";
import type { SectionBuilder } from "./notice-context.ts";

const sectionLink = (key: Parameters<typeof sectionId>[0]) => link(SECTION_TITLES[key], `#${sectionId(key)}`);

export const keyInformation: SectionBuilder = (ctx) => {
  const m = ctx.manifest;
  const o = ctx.organization;
  const items: ListItem[] = [item([`${o.legal_name} is the controller of the personal data this notice describes.`])];
  const served = controllersWeServe(m);
  if (served.length > 0)
    items.push(
      item([
        `Where we provide a programme on behalf of ${listInWords(served.map((k) => systemName(m, k)))}, we act as ` +
          "their processor: they decide how that data is used, and we follow their instructions.",
      ]),
    );
  const groups = distinct(
    m.purposes.flatMap((p) => p.data_categories).map((c) => c.split(".").slice(0, 2).join(".")),
  ).filter((k) => k.startsWith("user."));
  if (groups.length > 0) {
    const rest = ctx.has("data_we_collect") ? [" (details: ", sectionLink("data_we_collect"), ")"] : [];
    items.push(item([`We collect: ${groups.map((g) => categoryName(m, g)).join(", ")}`, ...rest, "."]));
  }
  if (m.purposes.length > 0) {
    const uses = m.purposes.map((p) => {
      const id = ctx.purposeId(p);
      return id ? [link(p.name, `#${id}`)] : [p.name];
    });
    items.push(item(["We use it for: ", ...joinText(uses), "."]));
  }
  if (ctx.has("your_rights"))
    items.push(item(["You have rights over your data: see ", sectionLink("your_rights"), "."]));
  return [list(items)];
};

export const whoWeAre: SectionBuilder = (ctx) => {
  const o = ctx.organization;
  const facts: Fact[] = [
    { term: "Controller", text: [`${o.legal_name} (“${o.name}”, “we”)`] },
    { term: "Address", text: [addressInWords(o.address)] },
    { term: "Contact", text: [autoLink(o.contact_email)] },
  ];
  if (o.websites.length > 0) facts.push({ term: "Websites", text: joinText(o.websites.map((w) => [autoLink(w)])) });
  if (o.dpo) facts.push({ term: "Data protection officer", text: [`${o.dpo.name}, `, autoLink(o.dpo.email)] });
  const docs = Object.entries(o.documents);
  if (docs.length > 0)
    facts.push({ term: "Related documents", text: joinText(docs.map(([k, url]) => [link(humanize(k), url)])) });
  return [paragraph(o.description), { kind: "facts", facts }];
};

export const scope: SectionBuilder = (ctx) => {
  const m = ctx.manifest;
  const blocks: Block[] = [];
  const sites = ctx.organization.websites;
  if (sites.length > 0)
    blocks.push(
      paragraph(
        "This notice covers the personal data we handle through ",
        ...joinText(sites.map((w) => [autoLink(w)])),
        ".",
      ),
    );
  const subjects = distinct(m.purposes.flatMap((p) => p.data_subjects)).map((s) => subjectName(m, s));
  if (subjects.length > 0) blocks.push(paragraph(`It concerns: ${listInWords(subjects)}.`));
  return blocks;
};

export const security: SectionBuilder = (ctx) => {
  const measures = ctx.organization.security_measures;
  return measures.length === 0
    ? []
    : [paragraph("We protect personal data with these measures:"), list(measures.map((s) => item([s])))];
};

export const complaints: SectionBuilder = (ctx) => {
  const o = ctx.organization;
  const blocks: Block[] = [paragraph("Write to us first at ", autoLink(o.contact_email), "; we will try to help.")];
  if (o.dpo)
    blocks.push(
      paragraph("You can also reach our data protection officer, ", o.dpo.name, ", at ", autoLink(o.dpo.email), "."),
    );
  if (o.representatives.length > 0) {
    blocks.push(paragraph("Our representatives, whom you may contact instead of us:"));
    blocks.push(
      list(
        o.representatives.map((r) =>
          item([
            strong(r.region === "EU" ? "European Union" : "United Kingdom"),
            `: ${r.name}, `,
            autoLink(r.email),
            ...(r.address ? [`, ${addressInWords(r.address)}`] : []),
          ]),
        ),
      ),
    );
  }
  if (o.supervisory_authorities.length > 0) {
    blocks.push(paragraph("You may also complain to a data protection authority, for example:"));
    blocks.push(
      list(
        o.supervisory_authorities.map((a) =>
          item([a.url ? link(a.name, a.url) : a.name, ` (${countryName(a.country)})`]),
        ),
      ),
    );
  }
  return blocks;
};

export const children: SectionBuilder = (ctx) => {
  const age = ctx.organization.minimum_age;
  if (age === undefined) return [];
  return [
    paragraph(
      `Our services are not meant for anyone under ${age}, and we do not knowingly collect their personal data. ` +
        `When we learn that we hold personal data of someone under ${age}, we delete it.`,
    ),
  ];
};

export const changes: SectionBuilder = (ctx) => {
  const n = ctx.notice;
  const rest =
    ctx.has("revisions") && n.revisions.length > 0
      ? [" Earlier changes are listed in ", sectionLink("revisions"), "."]
      : [];
  return [
    paragraph(`This is version ${n.version} of this notice, in force from ${dateInWords(n.effective_date)}.`, ...rest),
  ];
};

export const revisions: SectionBuilder = (ctx) => {
  const revs = [...ctx.notice.revisions].sort((a, b) => b.date.localeCompare(a.date));
  if (revs.length === 0) return [];
  return [
    {
      kind: "table",
      caption: "Changes to this notice, newest first",
      head: ["Date", "What changed", "Material change"],
      rows: revs.map((r) => [[dateInWords(r.date)], [r.summary], [r.material ? "yes" : "no"]]),
    },
  ];
};

export const externalLinks: SectionBuilder = (ctx) => {
  const withPolicy = ctx.manifest.systems.filter((s) => s.privacy_policy && s.kind !== "internal");
  if (withPolicy.length === 0) return [];
  return [
    paragraph(
      "These organisations handle personal data in connection with our services; their own notices explain how:",
    ),
    list(withPolicy.map((s) => item([link(s.name, s.privacy_policy!)]))),
  ];
};
