/**
 * The data-rights part of a verified exercise message (DRP 1.0 §2.01, §3.01, §3.04), read into what Steward's intake
 * takes. Liberal where the reference agent is known to deviate: actions with stray spaces, `phone` for
 * `phone_number`, `"true"` for `true`, `sale:opt_out` and `sale:opt_in` (the 0.9 spellings; the reference agent's form still sends
 * `sale:opt_in`). Pure.
 *
 * Only the identities the manifest's datasets know are kept (an e-mail address, a phone number): `name` and
 * `address` claims find nobody in the data map, so they are not stored at all.
 */
import { stewardError } from "../errors.ts";
import type { RequestType } from "../manifest/types.ts";
import type { RequestDetails } from "../requests/request-details.ts";

/**
 * DRP rights actions → Steward request types. `sale:opt-in` is the opt-out's choice the other way (the details say
 * `opt_in`); `access:categories` asks for the categories held, not the data (the details say `scope`).
 */
export const DRP_ACTIONS: Readonly<Record<string, RequestType>> = {
  "sale:opt-out": "opt_out_sale_sharing",
  "sale:opt-in": "opt_out_sale_sharing",
  access: "access",
  "access:categories": "access",
  "access:specific": "access",
  deletion: "erasure",
};
/** The request details an action implies (src/requests/request-details.ts). */
export const DRP_DETAILS: Readonly<Record<string, RequestDetails>> = {
  "sale:opt-in": { opt_in: true },
  "access:categories": { scope: "categories" },
};

/** Earlier spellings taken as the current ones. */
const ACTION_ALIASES: Readonly<Record<string, string>> = {
  "sale:opt_out": "sale:opt-out",
  "sale:opt_in": "sale:opt-in",
};

/** Protocol versions whose messages mean what 1.0's do (0.9.4 differs only in the opt-out's spelling). */
const VERSIONS = ["1.0", "0.9.4", "0.9.3"];

export interface Exercise {
  /** The action as the protocol names it, trimmed (`sale:opt-out`). */
  readonly action: string;
  readonly type: RequestType;
  /** The details of the Steward request (an opt-in, an access to the categories only), if the action implies any. */
  readonly details: RequestDetails | undefined;
  readonly regime: string | undefined;
  readonly agentRequestId: string | undefined;
  readonly statusCallback: string | undefined;
  readonly identity: Readonly<Record<string, string>>;
  /** Identity types the agent marks verified. */
  readonly verified: readonly string[];
  readonly powerOfAttorney: string | undefined;
}

const yes = (v: unknown): boolean => v === true || (typeof v === "string" && v.trim().toLowerCase() === "true");
const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : typeof v === "number" ? String(v) : undefined;

/**
 * @param identityTypes the identity types of the manifest (`email`, `phone_number`, …)
 * @param supported the DRP actions this deployment takes
 * @param whyNot why an action of the protocol is not taken here, when a reason is known (STW_DRP_OPT_IN_NOT_OFFERED)
 */
export function readExercise(
  claims: Record<string, unknown>,
  identityTypes: readonly string[],
  supported: readonly string[],
  whyNot: (action: string) => string | undefined = () => undefined,
): Exercise {
  const version = claims["drp.version"];
  if (version !== undefined && !VERSIONS.includes(String(version).trim()))
    throw stewardError("STW_DRP_BAD_CLAIM", {
      claim: "drp.version",
      detail: `is "${String(version)}"`,
      allowed: VERSIONS,
    });
  const raw = str(claims["exercise"]);
  if (!raw) throw stewardError("STW_DRP_BAD_CLAIM", { claim: "exercise", detail: "is missing", allowed: supported });
  const action = ACTION_ALIASES[raw.toLowerCase()] ?? raw.toLowerCase();
  const type = DRP_ACTIONS[action];
  const reason = type && !supported.includes(action) ? whyNot(action) : undefined;
  if (action === "sale:opt-in" && reason)
    throw stewardError("STW_DRP_OPT_IN_NOT_OFFERED", { why: reason, allowed: supported });
  if (!type || !supported.includes(action))
    throw stewardError("STW_DRP_UNSUPPORTED_ACTION", { action: raw, allowed: supported });

  const callback = str(claims["status_callback"]);
  if (callback !== undefined && !/^https?:\/\/[^\s/]+/i.test(callback))
    throw stewardError("STW_DRP_BAD_CLAIM", { claim: "status_callback", detail: "is not an http(s) URL" });

  const identity: Record<string, string> = {};
  const verified: string[] = [];
  const email = str(claims["email"]);
  if (email && identityTypes.includes("email")) {
    identity["email"] = email;
    if (yes(claims["email_verified"])) verified.push("email");
  }
  const phone = str(claims["phone_number"]) ?? str(claims["phone"]);
  const phoneType = identityTypes.find((t) => t === "phone_number" || t === "phone");
  if (phone && phoneType) {
    identity[phoneType] = phone;
    if (yes(claims["phone_number_verified"]) || yes(claims["phone_verified"])) verified.push(phoneType);
  }
  return {
    action,
    type,
    details: DRP_DETAILS[action],
    regime: str(claims["regime"])?.toLowerCase(),
    agentRequestId: str(claims["agent-request-id"]) ?? str(claims["agent_request_id"]),
    statusCallback: callback,
    identity,
    verified,
    // A reference to the document, or (the reference agent) just `true`: the agent says it holds one.
    powerOfAttorney: claims["power_of_attorney"] === true ? "true" : str(claims["power_of_attorney"]),
  };
}
