/**
 * The mails a person receives about their request, in plain words. Presentation only: the request service decides
 * when each is sent and with which facts.
 */
import type { MailMessage } from "./mailer.ts";

export interface MailFacts {
  readonly to: string;
  readonly organization: string;
  /** "a copy of your data", "deletion of your data", … */
  readonly what: string;
  readonly statusUrl: string;
}

const sign = (f: MailFacts) => `\n\n— ${f.organization}\nYour request: ${f.statusUrl}\n`;

const day = (d: Date) => d.toISOString().slice(0, 10);

export function codeMail(f: MailFacts, code: string, minutes: number): MailMessage {
  return {
    to: f.to,
    subject: `Your code for your request to ${f.organization}: ${code}`,
    text:
      `You asked ${f.organization} for ${f.what}. To confirm that it is you, enter this code:\n\n    ${code}\n\n` +
      `The code works for ${minutes} minutes. If you did not ask for this, ignore this message: nothing happens ` +
      `without the code.${sign(f)}`,
  };
}

export function lockedMail(f: MailFacts, tries: number): MailMessage {
  return {
    to: f.to,
    subject: `Your request to ${f.organization} is locked`,
    text:
      `The code for your request was entered wrongly ${tries} times, so we locked the request to protect your ` +
      `data. Nothing was done with it. If it was you, make a new request and use the code from the newest message.${sign(f)}`,
  };
}

export function expiredMail(f: MailFacts): MailMessage {
  return {
    to: f.to,
    subject: `Your request to ${f.organization} has expired`,
    text:
      `You asked ${f.organization} for ${f.what}, but the request was never confirmed with the code we sent, so ` +
      `it has expired and nothing was done. You can make a new request at any time.${sign(f)}`,
  };
}

export function receivedMail(f: MailFacts, dueAt: Date | null): MailMessage {
  return {
    to: f.to,
    subject: `We have your request to ${f.organization}`,
    text:
      `Thank you: you are confirmed, and we are working on ${f.what}.` +
      (dueAt ? ` We will answer by ${day(dueAt)} at the latest.` : "") +
      ` You can follow every step on the page below.${sign(f)}`,
  };
}

export function readyMail(f: MailFacts, link: string, expiresAt: Date, categoriesOnly = false): MailMessage {
  if (categoriesOnly)
    return {
      to: f.to,
      subject: `The kinds of data ${f.organization} holds about you`,
      text:
        `The list of the kinds of personal data we hold about you is ready. Download it here (the link works until ${day(expiresAt)}):\n\n` +
        `    ${link}\n\nThe file is a zip with a readable report and the same as JSON: for each kind of data, where it ` +
        `came from, why we use it, who receives it and how long we keep it. It does not contain the data itself.${sign(f)}`,
    };
  return {
    to: f.to,
    subject: `Your data from ${f.organization} is ready`,
    text:
      `The copy of your data you asked for is ready. Download it here (the link works until ${day(expiresAt)}):\n\n` +
      `    ${link}\n\nThe file is a zip with your data as JSON, a CSV per table and a readable report that says why ` +
      `we hold each kind of data, who receives it and how long we keep it.${sign(f)}`,
  };
}

export function doneMail(f: MailFacts, summary: string): MailMessage {
  return { to: f.to, subject: `Your request to ${f.organization} is done`, text: `${summary}${sign(f)}` };
}

export function deniedMail(f: MailFacts, reason: string, complaints: readonly string[]): MailMessage {
  return {
    to: f.to,
    subject: `About your request to ${f.organization}`,
    text:
      `We could not do ${f.what}. The reason: ${reason}` +
      (complaints.length > 0 ? `\n\nIf you disagree, you may complain to: ${complaints.join("; ")}.` : "") +
      sign(f),
  };
}

export function extendedMail(f: MailFacts, reason: string, dueAt: Date | null): MailMessage {
  return {
    to: f.to,
    subject: `Your request to ${f.organization} needs more time`,
    text:
      `We need more time for ${f.what}. The reason: ${reason}` +
      (dueAt ? `\n\nWe will answer by ${day(dueAt)} at the latest.` : "") +
      sign(f),
  };
}

export interface OperatorAlertFacts {
  readonly to: string;
  readonly organization: string;
  /** The request's page in the admin console. */
  readonly consoleUrl: string;
  readonly id: string;
  /** "erasure", "access", … */
  readonly type: string;
  readonly jurisdiction: string | null;
  readonly dueAt: Date | null;
  readonly tries: number;
  /** What is not done, in the engine's words: collections and why (no row values, no identities). */
  readonly problems: readonly string[];
}

/**
 * To the operator, not the person: a request stayed partly done after its automatic retries. It names the request
 * by id and what failed; nothing about the person (the console shows them to whoever may see them).
 */
export function operatorAlertMail(f: OperatorAlertFacts): MailMessage {
  const problems = f.problems.length > 0 ? f.problems.map((p) => `  - ${p}`).join("\n") : "  - (see the outcome)";
  return {
    to: f.to,
    subject: `Request ${f.id.slice(0, 8)} needs an operator: ${f.type}, partly done after ${f.tries} automatic retries`,
    text:
      `${/^[aeiou]/i.test(f.type) ? "An" : "A"} ${f.type} request${f.jurisdiction ? ` (${f.jurisdiction})` : ""} is still only partly done after ${f.tries} ` +
      `automatic retries, and no more are scheduled. What is not done:\n\n${problems}\n\n` +
      `${f.dueAt ? `It is due on ${day(f.dueAt)}. ` : ""}Put the system right, then retry the request from the ` +
      `console or with \`steward requests retry ${f.id}\`:\n\n    ${f.consoleUrl}\n\n— Steward for ${f.organization}\n`,
  };
}
