/**
 * Builds the notice document from a manifest: each section listed in `notice.sections`, in that order, from the
 * manifest's facts, with the company's own prose (`notice.text`) first. A section with neither facts nor prose is
 * left out rather than printed empty.
 */
import { stewardError } from "../errors.ts";
import { FIDESLANG_ATTRIBUTION } from "../manifest/taxonomy/fideslang.ts";
import type { Manifest, NoticeSection, Purpose } from "../manifest/types.ts";
import { distinct } from "./manifest-facts.ts";
import type { Block, NoticeDocument, NoticeSectionDoc } from "./notice-document.ts";
import { SECTION_TITLES, sectionId } from "./section-titles.ts";
import type { NoticeContext, SectionBuilder } from "./sections/notice-context.ts";
import {
  changes,
  children,
  complaints,
  externalLinks,
  keyInformation,
  revisions,
  scope,
  security,
  whoWeAre,
} from "./sections/organization-sections.ts";
import { dataWeCollect, legalBases, retention } from "./sections/processing-sections.ts";
import { purposeAnchor, purposeBlock } from "./sections/purpose-block.ts";
import { usStateRights, yourRights } from "./sections/rights-sections.ts";
import { dpfNotice, internationalTransfers } from "./sections/transfer-sections.ts";

const none: SectionBuilder = () => [];

/** Facts per section; sections that only present purposes (how we use, recorded lectures) have none of their own. */
const BUILDERS: Readonly<Record<NoticeSection, SectionBuilder>> = {
  key_information: keyInformation,
  who_we_are: whoWeAre,
  scope,
  legal_bases: legalBases,
  data_we_collect: dataWeCollect,
  how_we_use: none,
  external_links: externalLinks,
  retention,
  security,
  your_rights: yourRights,
  complaints,
  us_state_rights: usStateRights,
  international_transfers: internationalTransfers,
  changes,
  children,
  recorded_lectures: none,
  dpf_notice: dpfNotice,
  revisions,
};

/** Prose split into paragraphs at blank lines. */
const proseBlocks = (text: string | undefined): Block[] =>
  (text ?? "")
    .split(/\n\s*\n/)
    .map((p) => p.trim().replaceAll(/\s*\n\s*/g, " "))
    .filter((p) => p !== "")
    .map((p) => ({ kind: "paragraph", text: [p] }));

/**
 * Where each purpose is shown: the section it names, or "how we use" when the notice does not list that section
 * (so that no purpose silently drops out of the notice).
 */
function placePurposes(manifest: Manifest, sections: readonly NoticeSection[]): Map<Purpose, NoticeSection> {
  const places = new Map<Purpose, NoticeSection>();
  for (const p of manifest.purposes) {
    if (sections.includes(p.notice_section)) places.set(p, p.notice_section);
    else if (sections.includes("how_we_use")) places.set(p, "how_we_use");
  }
  return places;
}

/**
 * @throws STW_MANIFEST_MISSING_ORGANIZATION or STW_MANIFEST_MISSING_NOTICE when the manifest lacks either (e.g. a
 *   folder of Fides datasets only).
 * @example
 *   const doc = buildNotice(await loadManifestDir("examples/learning-platform"));
 *   doc.sections.map((s) => s.key); // ["key_information", "who_we_are", …]
 */
export function buildNotice(manifest: Manifest): NoticeDocument {
  const organization = manifest.organization;
  if (!organization) throw stewardError("STW_MANIFEST_MISSING_ORGANIZATION", { dir: manifest.root });
  const notice = manifest.notice;
  if (!notice) throw stewardError("STW_MANIFEST_MISSING_NOTICE", { dir: manifest.root });

  const order = distinct(notice.sections);
  const places = placePurposes(manifest, order);
  const ctx: NoticeContext = {
    manifest,
    organization,
    notice,
    has: (s) => order.includes(s),
    purposeId: (p) => {
      const place = places.get(p);
      return place ? purposeAnchor(place, p) : undefined;
    },
  };
  const sections: NoticeSectionDoc[] = [];
  for (const key of order) {
    const purposes = manifest.purposes
      .filter((p) => places.get(p) === key)
      .map((p) => purposeBlock(ctx, p, purposeAnchor(key, p)));
    const blocks = [...proseBlocks(notice.text[key]), ...BUILDERS[key](ctx), ...purposes];
    if (blocks.length > 0) sections.push({ key, id: sectionId(key), title: SECTION_TITLES[key], blocks });
  }
  return {
    title: notice.title,
    organization: organization.name,
    version: notice.version,
    effective_date: notice.effective_date,
    sections,
    attribution: FIDESLANG_ATTRIBUTION,
  };
}
