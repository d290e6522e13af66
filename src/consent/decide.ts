/**
 * The decision: may this purpose run for this person now? From the manifest (the purpose's basis and the mechanism
 * where the person is) and the person's derived state, in this order — the first that applies answers:
 *
 * 1. reported under the minimum age: nothing runs but what the law requires (`under_age`);
 * 2. a restriction of processing in force (GDPR Art. 18): nothing runs but what the law, a vital interest or a legal
 *    claim needs (`restriction`);
 * 3. the person's latest choice for the purpose, where the purpose offers that choice there (src/consent/choices.ts):
 *    objected (`objection`), withdrawn (`withdrawn`, or `gpc` when a Global Privacy Control signal withdrew it), or
 *    granted (`consent_given`) — unless an opt-in purpose was widened by a notice published after the consent was
 *    given (`reconsent_needed`, src/consent/reconsent.ts);
 * 4. the jurisdiction's default: opt-in purposes wait for a yes (`default_opt_in`), opt-out purposes run until a no
 *    (`default_opt_out`), notice-only purposes run on their basis (`notice_only`).
 *
 * Pure: the ledger and the cache call it with what they read.
 */
import { consentMechanism } from "../manifest/jurisdictions.ts";
import type { ConsentMechanism, JurisdictionRights, LegalBasis, Purpose } from "../manifest/types.ts";
import { LEGAL_BASIS_NAMES } from "../notice/plain-words.ts";
import { choicesOffered } from "./choices.ts";
import type { LedgerEntry, SubjectState } from "./consent-state.ts";

export type DecisionCode =
  | "under_age"
  | "restriction"
  | "objection"
  | "withdrawn"
  | "gpc"
  | "consent_given"
  | "reconsent_needed"
  | "default_opt_in"
  | "default_opt_out"
  | "notice_only";

export interface Decision {
  readonly purpose: string;
  readonly allowed: boolean;
  readonly code: DecisionCode;
  /** The reason in words, for a person or an operator. */
  readonly reason: string;
  /** When the fact that decides it was recorded (ISO 8601); null for a jurisdiction default. */
  readonly since: string | null;
  /** The notice version the deciding event was recorded under, else the one in force. */
  readonly notice_version: string | null;
  readonly jurisdiction: string | null;
  readonly mechanism: ConsentMechanism;
}

/** Bases an age or a restriction does not stop: what the law requires, and a life at stake. */
const ALWAYS_RUN: readonly LegalBasis[] = ["legal_obligation", "vital_interests"];

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Whether a restriction of processing stops this purpose (Art. 18(2): storage, legal claims, others' rights remain). */
export const restrictionStops = (p: Purpose): boolean =>
  !(p.legal_basis && ALWAYS_RUN.includes(p.legal_basis)) &&
  p.data_use !== "essential.legal_claims" &&
  !p.data_use.startsWith("essential.legal_claims.");

export function decide(
  purpose: Purpose,
  rights: JurisdictionRights | undefined,
  state: SubjectState,
  noticeVersion: string | null,
  /** The notice versions under which a consent to this purpose no longer counts (src/consent/reconsent.ts). */
  stale?: ReadonlySet<string>,
): Decision {
  const { mechanism, source } = consentMechanism(purpose, rights);
  // Every decision is built by `made`, one object literal: one shape for all, which keeps a host's reads of
  // `decision.allowed` fast (objects built by spreading take many shapes).
  const made = (
    allowed: boolean,
    code: DecisionCode,
    reason: string,
    since: string | null,
    notice: string | null,
  ): Decision => ({
    purpose: purpose.key,
    allowed,
    code,
    reason,
    since,
    notice_version: notice,
    jurisdiction: rights?.jurisdiction ?? null,
    mechanism,
  });
  const byEvent = (e: LedgerEntry, allowed: boolean, code: DecisionCode, reason: string): Decision =>
    made(allowed, code, reason, e.at.toISOString(), e.notice_version ?? noticeVersion);
  const exempt = purpose.legal_basis !== undefined && ALWAYS_RUN.includes(purpose.legal_basis);
  if (state.underAge && !exempt)
    return byEvent(
      state.underAge,
      false,
      "under_age",
      `the person was reported to be under the minimum age on ${day(state.underAge.at)}; only what the law requires is done`,
    );
  if (state.restricted && restrictionStops(purpose))
    return byEvent(
      state.restricted,
      false,
      "restriction",
      `processing is restricted since ${day(state.restricted.at)} (GDPR Art. 18): the data is only stored`,
    );
  const choice = state.choices.get(purpose.key);
  if (choice?.status === "objected")
    return byEvent(choice, false, "objection", `the person objected on ${day(choice.at)}`);
  if (choice && choicesOffered(purpose, rights).includes(choice.status)) {
    if (choice.status === "withdrawn")
      return choice.method === "gpc"
        ? byEvent(choice, false, "gpc", `a Global Privacy Control signal opted the person out on ${day(choice.at)}`)
        : byEvent(
            choice,
            false,
            "withdrawn",
            mechanism === "opt_in"
              ? `consent was withdrawn on ${day(choice.at)}`
              : `the person opted out on ${day(choice.at)}`,
          );
    if (mechanism === "opt_in" && choice.notice_version && stale?.has(choice.notice_version))
      return byEvent(
        choice,
        false,
        "reconsent_needed",
        `consent was given on ${day(choice.at)} under notice ${choice.notice_version}; the purpose does more since, so consent is asked again`,
      );
    return byEvent(
      choice,
      true,
      "consent_given",
      `consent was given on ${day(choice.at)}${choice.notice_version ? ` under notice ${choice.notice_version}` : ""}`,
    );
  }
  const byDefault = (allowed: boolean, code: DecisionCode, reason: string): Decision =>
    made(allowed, code, reason, null, noticeVersion);
  if (mechanism === "opt_in")
    return byDefault(false, "default_opt_in", `no consent has been given (opt-in, from ${source})`);
  if (mechanism === "opt_out")
    return byDefault(true, "default_opt_out", `allowed until the person opts out (opt-out, from ${source})`);
  const basis = purpose.legal_basis ? LEGAL_BASIS_NAMES[purpose.legal_basis].toLowerCase() : "no stated basis";
  return byDefault(true, "notice_only", `needs no choice: the basis is ${basis}, and the notice informs people`);
}
