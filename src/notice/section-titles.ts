import type { NoticeSection } from "../manifest/types.ts";

/** The heading of each notice section, in Steward's own words. */
export const SECTION_TITLES: Readonly<Record<NoticeSection, string>> = {
  key_information: "Key information",
  who_we_are: "Who we are",
  scope: "What this notice covers",
  legal_bases: "Legal bases for using personal data",
  data_we_collect: "What personal data we collect",
  how_we_use: "How we use personal data",
  external_links: "Links to other sites and services",
  retention: "How long we keep personal data",
  security: "Keeping personal data secure",
  your_rights: "Your rights",
  complaints: "Questions and complaints",
  us_state_rights: "Rights under U.S. state laws",
  international_transfers: "International transfers",
  changes: "Changes to this notice",
  children: "Children",
  recorded_lectures: "Recorded lectures",
  dpf_notice: "Data Privacy Framework",
  revisions: "Revision history",
};

/** Anchor id of a section: its key with hyphens ("who_we_are" → "who-we-are"). */
export const sectionId = (key: NoticeSection): string => key.replaceAll("_", "-");
