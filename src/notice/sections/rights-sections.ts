/** Sections built from the rights per jurisdiction and the exemptions: your rights, U.S. state rights. */
import { consentMechanism } from "../../manifest/jurisdictions.ts";
import type { JurisdictionRights, RequestType } from "../../manifest/types.ts";
import { verificationFor } from "../../manifest/verification-for.ts";
import { deadlineRulesFor, describeDeadline } from "../../requests/deadlines/index.ts";
import { autoLink, type Block, type Fact, item, joinText, list, paragraph, strong } from "../notice-document.ts";
import { countryName, listInWords, REQUEST_NAMES, upperFirst, VERIFICATION_NAMES } from "../plain-words.ts";
import type { NoticeContext, SectionBuilder } from "./notice-context.ts";

const US_STATES: Readonly<Record<string, string>> = Object.fromEntries(
  (
    "AL Alabama,AK Alaska,AZ Arizona,AR Arkansas,CA California,CO Colorado,CT Connecticut,DE Delaware,DC District of " +
    "Columbia,FL Florida,GA Georgia,HI Hawaii,ID Idaho,IL Illinois,IN Indiana,IA Iowa,KS Kansas,KY Kentucky,LA " +
    "Louisiana,ME Maine,MD Maryland,MA Massachusetts,MI Michigan,MN Minnesota,MS Mississippi,MO Missouri,MT Montana,NE " +
    "Nebraska,NV Nevada,NH New Hampshire,NJ New Jersey,NM New Mexico,NY New York,NC North Carolina,ND North Dakota,OH " +
    "Ohio,OK Oklahoma,OR Oregon,PA Pennsylvania,RI Rhode Island,SC South Carolina,SD South Dakota,TN Tennessee,TX " +
    "Texas,UT Utah,VT Vermont,VA Virginia,WA Washington,WV West Virginia,WI Wisconsin,WY Wyoming"
  )
    .split(",")
    .map((pair) => [pair.slice(0, 2), pair.slice(3)]),
);

/** "US-CA" → "California", "DE" → "Germany", "EEA" → "European Economic Area"; free text stays as written. */
export function regionName(region: string): string {
  const us = /^US-([A-Z]{2})$/.exec(region);
  return us ? (US_STATES[us[1]!] ?? region) : countryName(region);
}

/**
 * A jurisdiction belongs in the U.S. state section when its key starts with "us" or every region it covers is the
 * U.S. or a U.S. state ("US", "US-CA").
 */
export const isUsJurisdiction = (r: JurisdictionRights): boolean =>
  /^us([_-]|$)/.test(r.jurisdiction) || (r.regions.length > 0 && r.regions.every((x) => /^US(-[A-Z]{2})?$/.test(x)));

/** The offered request types in groups that read alike, in the order the manifest lists them. */
function groupBy(r: JurisdictionRights, wordsOf: (type: RequestType) => string): [string, RequestType[]][] {
  const groups = new Map<string, RequestType[]>();
  for (const type of r.requests) {
    const words = wordsOf(type);
    groups.set(words, [...(groups.get(words) ?? []), type]);
  }
  return [...groups];
}

/**
 * The words most request types share, then each other group led by its types — as sentences ("one month …. To opt out
 * …: 15 business days …") or as clauses ("…; to opt out …: no check is needed"). One group needs no lead.
 */
function byRequestType(groups: [string, RequestType[]][], as: "sentences" | "clauses"): string {
  const main = groups.reduce((a, b) => (b[1].length > a[1].length ? b : a));
  const others = groups
    .filter((g) => g !== main)
    .map(
      ([words, types]) =>
        `to ${listInWords(
          types.map((t) => REQUEST_NAMES[t]),
          "or",
        )}: ${words}`,
    );
  return as === "sentences" ? [main[0], ...others.map(upperFirst)].join(". ") : [main[0], ...others].join("; ");
}

/** The deadline as the law's rule pack (or, with none, the manifest) gives it, by request type where they differ. */
const deadlineInWords = (r: JurisdictionRights): string =>
  byRequestType(
    groupBy(r, (type) => describeDeadline(deadlineRulesFor(r.jurisdiction, r, type))),
    "sentences",
  );

/** The manifest gives every offered request type a level (build-rights.ts). */
const verificationInWords = (r: JurisdictionRights): string =>
  byRequestType(
    groupBy(r, (type) => VERIFICATION_NAMES[verificationFor(r, type)!]),
    "clauses",
  );

function jurisdictionBlock(r: JurisdictionRights): Block {
  const facts: Fact[] = [{ term: "Law", text: [r.law] }];
  if (r.regions.length > 0) facts.push({ term: "Where it applies", text: [listInWords(r.regions.map(regionName))] });
  facts.push({ term: "You can ask us to", text: [listInWords(r.requests.map((q) => REQUEST_NAMES[q]))] });
  facts.push({ term: "We answer within", text: [deadlineInWords(r)] });
  facts.push({ term: "How we confirm it is you", text: [verificationInWords(r)] });
  // "; " because a channel may itself hold commas ("EU representative, Example B.V., rep@example.com").
  if (r.channels.length > 0)
    facts.push({
      term: "How to ask",
      text: joinText(
        r.channels.map((c) => [autoLink(c)]),
        "; ",
      ),
    });
  if (r.complaint_authorities.length > 0)
    facts.push({ term: "Where to complain", text: [r.complaint_authorities.join("; ")] });
  return {
    kind: "subsection",
    id: `rights--${r.jurisdiction.replaceAll(/[_.]/g, "-")}`,
    title: r.name,
    blocks: [{ kind: "facts", facts }],
  };
}

function exemptionBlocks(ctx: NoticeContext): Block[] {
  const ex = ctx.manifest.exemptions;
  if (ex.length === 0) return [];
  return [
    paragraph("In some cases we may keep data or limit a request, and we tell you which of these applies:"),
    list(
      ex.map((e) =>
        item(
          [strong(e.name), ` — ${e.reason}`],
          [
            item([
              `It can limit a request to ${listInWords(
                e.applies_to.map((q) => REQUEST_NAMES[q]),
                "or",
              )}.`,
            ]),
          ],
        ),
      ),
    ),
  ];
}

function consentBlocks(ctx: NoticeContext): Block[] {
  const usesConsent = ctx.manifest.purposes.some(
    (p) => p.legal_basis === "consent" || Object.values(p.consent).some((c) => c !== "notice_only"),
  );
  return usesConsent
    ? [
        paragraph(
          "Where we rely on your consent or offer an opt-out, you can change your choice at any time; it applies from then on.",
        ),
      ]
    : [];
}

export const yourRights: SectionBuilder = (ctx) => {
  const rights = ctx.manifest.rights.filter((r) => !(ctx.has("us_state_rights") && isUsJurisdiction(r)));
  const blocks: Block[] = rights.map(jurisdictionBlock);
  if (blocks.length === 0 && ctx.manifest.exemptions.length === 0) return [];
  return [...blocks, ...exemptionBlocks(ctx), ...consentBlocks(ctx)];
};

export const usStateRights: SectionBuilder = (ctx) => {
  const rights = ctx.manifest.rights.filter(isUsJurisdiction);
  const blocks: Block[] = rights.map(jurisdictionBlock);
  const optOuts = ctx.manifest.purposes.filter((p) =>
    rights.some((r) => consentMechanism(p, r).mechanism === "opt_out"),
  );
  if (optOuts.length > 0)
    blocks.push(paragraph("In the United States you can opt out of: ", listInWords(optOuts.map((p) => p.name)), "."));
  if (blocks.length > 0 && !ctx.has("your_rights")) blocks.push(...exemptionBlocks(ctx));
  return blocks;
};
