/**
 * How a source of personal data reaches us, in words for the person. The notice words the same kinds for a general
 * reader; this is the person's own data, hence "you gave it to us".
 */
import type { SourceKind } from "../manifest/types.ts";

export const SOURCE_KIND_WORDS: Readonly<Record<SourceKind, string>> = {
  data_subject: "you gave it to us",
  automatic: "collected automatically when you used our services",
  third_party: "received from a third party",
  partner: "received from a partner",
  instructor: "received from an instructor",
  inferred: "derived by us from other data",
};
