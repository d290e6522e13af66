/** Sections built from purposes, sources, categories and retention rules. */
import { LEGAL_BASES, type SourceKind } from "../../manifest/types.ts";
import { categoryName, personalCategories, systemName } from "../manifest-facts.ts";
import { type Block, item, type ListItem, link, list, paragraph, strong } from "../notice-document.ts";
import {
  LEGAL_BASIS_EXPLANATIONS,
  LEGAL_BASIS_NAMES,
  listInWords,
  lowerFirst,
  withoutFinalStop,
} from "../plain-words.ts";
import { retentionInWords } from "../retention-in-words.ts";
import type { SectionBuilder } from "./notice-context.ts";

const SOURCE_KIND_NAMES: Readonly<Record<SourceKind, string>> = {
  data_subject: "you give it to us",
  automatic: "collected automatically when you use our services",
  third_party: "received from a third party",
  partner: "received from a partner",
  instructor: "received from an instructor",
  inferred: "derived by us from other data",
};

export const legalBases: SectionBuilder = (ctx) => {
  const m = ctx.manifest;
  const own = m.purposes.filter((p) => !p.processor_for);
  const items: ListItem[] = [];
  for (const basis of LEGAL_BASES) {
    const using = own.filter((p) => p.legal_basis === basis);
    if (using.length === 0) continue;
    const purposeLink = (p: (typeof using)[number]) => {
      const id = ctx.purposeId(p);
      return id ? link(p.name, `#${id}`) : p.name;
    };
    const sub: ListItem[] =
      basis === "legitimate_interests"
        ? using.map((p) =>
            item([
              purposeLink(p),
              ...(p.legitimate_interest
                ? [`: our interest is ${lowerFirst(withoutFinalStop(p.legitimate_interest.interest))}.`]
                : []),
            ]),
          )
        : [item(["Used for: ", ...using.flatMap((p, i) => (i === 0 ? [purposeLink(p)] : [", ", purposeLink(p)]))])];
    items.push(item([strong(LEGAL_BASIS_NAMES[basis]), ` — ${LEGAL_BASIS_EXPLANATIONS[basis]}.`], sub));
  }
  const asProcessor = m.purposes.filter((p) => p.processor_for);
  if (asProcessor.length > 0) {
    const controllers = [...new Set(asProcessor.map((p) => systemName(m, p.processor_for!)))];
    items.push(
      item([
        strong("As processor"),
        ` — for ${listInWords(asProcessor.map((p) => p.name))}, ${listInWords(controllers)} decide${controllers.length === 1 ? "s" : ""} ` +
          "the legal basis; we act on their instructions.",
      ]),
    );
  }
  return items.length === 0 ? [] : [list(items)];
};

export const dataWeCollect: SectionBuilder = (ctx) => {
  const m = ctx.manifest;
  const blocks: Block[] = [];
  if (m.sources.length > 0) {
    blocks.push(paragraph("Where the data comes from:"));
    blocks.push(
      list(
        m.sources.map((s) =>
          item(
            [
              strong(s.name),
              ` — ${withoutFinalStop(s.description)} (${SOURCE_KIND_NAMES[s.kind]}${s.system ? `: ${systemName(m, s.system)}` : ""}).`,
            ],
            s.data_categories.length > 0
              ? [item([`Data: ${s.data_categories.map((c) => categoryName(m, c)).join(", ")}`])]
              : [],
          ),
        ),
      ),
    );
  }
  // The root "user" says nothing a reader can use; its children are listed one by one.
  const categories = personalCategories(m).filter((k) => k !== "user");
  if (categories.length > 0)
    blocks.push({
      kind: "table",
      caption: "Categories of personal data we hold",
      head: ["Category", "What it is"],
      rows: categories.map((k) => [[categoryName(m, k)], [m.taxonomy.data_categories.get(k)?.description ?? ""]]),
    });
  return blocks;
};

export const retention: SectionBuilder = (ctx) => {
  const m = ctx.manifest;
  if (m.retention.length === 0) return [];
  return [
    {
      kind: "table",
      caption: "How long we keep each kind of personal data",
      head: ["Data", "Categories", "How long", "Why"],
      rows: m.retention.map((r) => [
        [r.description],
        [r.data_categories.map((c) => categoryName(m, c)).join(", ") || r.collections.join(", ")],
        [retentionInWords(r)],
        [r.reason],
      ]),
    },
  ];
};
