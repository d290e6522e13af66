/**
 * The details a request type takes, checked at intake: the values a rectification sets, the data categories an access
 * request is limited to, the provider a portability copy is sent to (GDPR Art. 20(2)), and the purposes an objection
 * or a withdrawal of consent is about, whether the choice about sale and sharing is an opt-in rather than an opt-out,
 * and whether an access request asks for the categories only. Sealed in the store: a
 * value to set is personal data.
 */
import { LOOPBACK_HOSTS } from "../connectors/connection-url.ts";
import type { Rectification } from "../engine/run-request.ts";
import { stewardError } from "../errors.ts";
import type { Manifest, RequestType } from "../manifest/types.ts";

export interface RequestDetails {
  readonly set?: readonly Rectification[];
  readonly categories?: readonly string[];
  /** An https URL of another controller that receives the portable copy. */
  readonly destination?: string;
  /** The purposes an objection or a withdrawal is about (default: every purpose it can cover). */
  readonly purposes?: readonly string[];
  /**
   * `opt_out_sale_sharing` only: the person opts back in to the sale and sharing of their data (CCPA §1798.120(d),
   * DRP's `sale:opt-in`) — the same choice the other way: the consent ledger records `granted` for every sale and
   * sharing purpose instead of `withdrawn`.
   */
  readonly opt_in?: true;
  /**
   * `access` only: `categories` asks for the categories of personal information held, their sources, purposes and
   * recipients — not the data (CCPA §1798.110(a)(1)–(4), DRP's `access:categories`); `specific` (the default, not
   * stored) for the data itself.
   */
  readonly scope?: "categories";
}

const KEYS: Readonly<Partial<Record<RequestType, readonly string[]>>> = {
  rectification: ["set"],
  access: ["categories", "scope"],
  portability: ["categories", "destination"],
  objection: ["purposes"],
  withdraw_consent: ["purposes"],
  opt_out_sale_sharing: ["opt_in"],
};

export function parseDetails(manifest: Manifest, type: RequestType, input: unknown): RequestDetails {
  if (input === undefined || input === null) {
    if (type === "rectification")
      throw stewardError("STW_REQUEST_BAD_DETAILS", {
        detail: "a rectification needs `set`: the fields and the values they should have",
        allowed: ["set"],
      });
    return {};
  }
  const allowed = KEYS[type] ?? [];
  if (typeof input !== "object" || Array.isArray(input))
    throw stewardError("STW_REQUEST_BAD_DETAILS", { detail: "expected an object", allowed });
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (!allowed.includes(key))
      throw stewardError("STW_REQUEST_BAD_DETAILS", { detail: `"${key}" does not apply to ${type}`, allowed });
  const out: {
    set?: Rectification[];
    categories?: string[];
    destination?: string;
    purposes?: string[];
    opt_in?: true;
    scope?: "categories";
  } = {};
  if (record["set"] !== undefined) {
    const set = record["set"];
    if (typeof set !== "object" || set === null || Array.isArray(set) || Object.keys(set).length === 0)
      throw stewardError("STW_REQUEST_BAD_DETAILS", {
        detail: "`set` must be an object of field → new value with at least one field",
        allowed: ["set"],
      });
    out.set = Object.entries(set).map(([target, value]) => {
      if (typeof value !== "string" || value.length > 10_000)
        throw stewardError("STW_REQUEST_BAD_DETAILS", {
          detail: `the new value of "${target}" must be a string`,
          allowed: ["set"],
        });
      return { target, value };
    });
  } else if (type === "rectification") {
    throw stewardError("STW_REQUEST_BAD_DETAILS", { detail: "a rectification needs `set`", allowed });
  }
  if (record["categories"] !== undefined) {
    const categories = record["categories"];
    const known = [...manifest.taxonomy.data_categories.keys()];
    if (!Array.isArray(categories) || categories.some((c) => typeof c !== "string" || !known.includes(c)))
      throw stewardError("STW_REQUEST_BAD_DETAILS", {
        detail: "`categories` must be a list of data category keys",
        allowed: known.filter((k) => k.startsWith("user.")),
      });
    out.categories = categories as string[];
  }
  if (record["destination"] !== undefined) out.destination = checkDestination(record["destination"]);
  if (record["purposes"] !== undefined) {
    const purposes = record["purposes"];
    const known = manifest.purposes.map((p) => p.key);
    if (!Array.isArray(purposes) || purposes.length === 0 || purposes.some((p) => !known.includes(p as string)))
      throw stewardError("STW_REQUEST_BAD_DETAILS", {
        detail: "`purposes` must be a non-empty list of purpose keys",
        allowed: known,
      });
    out.purposes = purposes as string[];
  }
  if (record["opt_in"] !== undefined) {
    if (typeof record["opt_in"] !== "boolean")
      throw stewardError("STW_REQUEST_BAD_DETAILS", { detail: "`opt_in` must be true or false", allowed: ["opt_in"] });
    if (record["opt_in"]) out.opt_in = true;
  }
  if (record["scope"] !== undefined) {
    if (record["scope"] !== "categories" && record["scope"] !== "specific")
      throw stewardError("STW_REQUEST_BAD_DETAILS", {
        detail: "`scope` must be categories (the kinds of data held, not the data) or specific (the data)",
        allowed: ["scope"],
      });
    if (record["scope"] === "categories") out.scope = "categories";
  }
  return out;
}

/** An access request for the categories held, not the data. */
export const asksForCategories = (details: RequestDetails | undefined): boolean => details?.scope === "categories";

/** The choice about sale and sharing is an opt-in (the details say so). */
export const isOptIn = (details: RequestDetails | undefined): boolean => details?.opt_in === true;

function checkDestination(value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  const ok = url && (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname)));
  if (!url || !ok)
    throw stewardError("STW_REQUEST_BAD_DETAILS", {
      detail: "`destination` must be the https URL of the provider that receives your data",
      allowed: ["https://…"],
    });
  return url.toString();
}
