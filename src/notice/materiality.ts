/**
 * Whether a change to the notice is material — one people must be told of before it applies, and for a purpose on
 * consent one that may need their consent again — as rules in code, each with its reason. The diff
 * (src/notice/diff-notice.ts) names the rule of each change; the notice, the privacy center and the mails give the
 * reason. Conservative where the law is: a change that widens what is done with data, or weakens the person's
 * position, is material; wording, contact details and changes that narrow processing are not.
 */
export interface MaterialityRule {
  readonly material: boolean;
  readonly reason: string;
}

export const MATERIALITY = {
  new_purpose: {
    material: true,
    reason: "a new purpose: people are told before their data is used for it (GDPR Art. 13(3))",
  },
  purpose_dropped: { material: false, reason: "a purpose no longer pursued takes nothing more from anyone" },
  basis_to_legitimate_interests: {
    material: true,
    reason: "the processing now rests on our interests instead of the person's agreement or need",
  },
  basis_from_consent: { material: true, reason: "consent is no longer asked for" },
  basis_changed: { material: false, reason: "another basis that neither drops consent nor moves to our interests" },
  more_data: { material: true, reason: "the purpose uses kinds of data people were not told of" },
  less_data: { material: false, reason: "the purpose uses less data" },
  new_sensitive: { material: true, reason: "sensitive data is used where it was not (GDPR Art. 9, CPRA)" },
  new_recipient_kind: { material: true, reason: "data goes to a category of recipient people were not told of" },
  new_recipient: { material: false, reason: "another recipient of a kind already named" },
  recipient_dropped: { material: false, reason: "a recipient no longer receives data" },
  new_third_country: { material: true, reason: "data goes to a country outside the EEA it did not go to" },
  fewer_countries: { material: false, reason: "data goes to fewer countries" },
  mechanism_dropped: { material: true, reason: "a safeguard for transfers people relied on is gone" },
  mechanism_added: { material: false, reason: "a further safeguard for transfers" },
  new_automated_decision: { material: true, reason: "a decision is now made by automated means (GDPR Art. 22)" },
  automated_decision_changed: { material: true, reason: "the logic or effect of an automated decision changed" },
  automated_decision_dropped: { material: false, reason: "no automated decision any more" },
  new_sale_or_sharing: { material: true, reason: "data is now sold or shared for advertising (CCPA §1798.120)" },
  sale_or_sharing_dropped: { material: false, reason: "data is no longer sold or shared" },
  consent_weakened: { material: true, reason: "people are no longer asked first" },
  consent_strengthened: { material: false, reason: "people are asked first where they were not" },
  longer_retention: { material: true, reason: "data is kept longer" },
  shorter_retention: { material: false, reason: "data is kept for less time" },
  retention_counted_differently: { material: true, reason: "the time data is kept is counted differently" },
  retention_removed: { material: true, reason: "a stated limit on keeping data is gone" },
  retention_added: { material: false, reason: "a new limit on keeping data" },
  more_retained_data: { material: true, reason: "the rule keeps more kinds of data" },
  right_removed: { material: true, reason: "a right people could use is no longer offered" },
  right_added: { material: false, reason: "people gain a right" },
  jurisdiction_removed: { material: true, reason: "people there lose the rights the notice gave them" },
  jurisdiction_added: { material: false, reason: "people in another place gain rights" },
  longer_deadline: { material: true, reason: "people wait longer for an answer" },
  shorter_deadline: { material: false, reason: "people get an answer sooner" },
  new_source: { material: true, reason: "data comes from a source people were not told of (GDPR Art. 14)" },
  more_source_data: { material: true, reason: "more kinds of data come from this source" },
  source_dropped: { material: false, reason: "data no longer comes from this source" },
  lower_minimum_age: { material: true, reason: "younger people may use the service" },
  higher_minimum_age: { material: false, reason: "the minimum age is higher" },
  wording: { material: false, reason: "wording: what is done with data is the same" },
  controller_details: { material: false, reason: "contact or identity details of the controller" },
} as const satisfies Record<string, MaterialityRule>;

export type MaterialityRuleKey = keyof typeof MATERIALITY;
