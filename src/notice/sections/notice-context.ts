import type { Manifest, Notice, NoticeSection, Organization, Purpose } from "../../manifest/types.ts";
import type { Block } from "../notice-document.ts";

/** What every section builder reads: the manifest, with the two parts a notice cannot do without already checked. */
export interface NoticeContext {
  readonly manifest: Manifest;
  readonly organization: Organization;
  readonly notice: Notice;
  /** True when the notice lists this section (so a builder may link to it or leave its facts to it). */
  readonly has: (section: NoticeSection) => boolean;
  /** Anchor id of the purpose's subsection, or undefined when the notice does not show the purpose. */
  readonly purposeId: (purpose: Purpose) => string | undefined;
}

/** Builds a section's facts; an empty result means the manifest holds no facts for it. */
export type SectionBuilder = (ctx: NoticeContext) => Block[];
