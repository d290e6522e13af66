/**
 * The mail that tells a person of a material change to the privacy notice before it applies, in plain words: the day
 * it applies, each material change, where to read the new version and the history, and where to change their choices.
 * Presentation only: the notification job (src/notify/) decides who gets it, once per version.
 */
import type { Translator } from "../i18n/translate.ts";
import { type NoticeChange, sayChange } from "../notice/diff-notice.ts";
import type { MailMessage } from "./mailer.ts";

export interface NoticeMailFacts {
  readonly to: string;
  readonly organization: string;
  readonly version: string;
  /** `YYYY-MM-DD`. */
  readonly effectiveDate: string;
  /** The material changes. */
  readonly changes: readonly NoticeChange[];
  /** The privacy center's public address, without a trailing slash. */
  readonly publicUrl: string;
}

export function noticeChangeMail(t: Translator, f: NoticeMailFacts): MailMessage {
  const day = t.date(`${f.effectiveDate}T12:00:00Z`);
  const lines = f.changes.map((c) => `  • ${sayChange(t, c)}`).join("\n");
  const version = encodeURIComponent(f.version);
  return {
    to: f.to,
    subject: `${f.organization} is changing its privacy notice on ${day}`,
    text:
      `We are changing how we describe, and in places how we handle, your personal data. The new privacy notice ` +
      `applies from ${day}. What changes:\n\n${lines}\n\n` +
      `Read the new notice: ${f.publicUrl}/notice/versions/${version}\n` +
      `Every version and what changed in each: ${f.publicUrl}/notice/history\n` +
      `Change what you agree to, at any time: ${f.publicUrl}/choices\n\n` +
      `You receive this message because we hold data of yours that the change concerns, or because you agreed to a ` +
      `use of data that it changes. We send it once for this change; it is not advertising.\n\n— ${f.organization}\n`,
  };
}
