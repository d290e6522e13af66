/**
 * The Data Rights Protocol's settings, from the environment:
 * - `STEWARD_DRP_AGENTS` — the agent discovery document (a file path or an http(s) URL); unset: no DRP endpoints.
 * - `STEWARD_DRP_BUSINESS_ID` — this company's `id` in the business discovery document, the `business-id` every
 *   signed message must carry. Default: the manifest's organization key in capitals (`coursera` → `COURSERA`).
 * - `STEWARD_DRP_CLOCK_SKEW_SECONDS` — how far ahead an agent's clock may run (`issued-at` in the future). Default 30.
 * - `STEWARD_DRP_MAX_VALIDITY_SECONDS` — the longest window a signed message may be valid for, from `issued-at` to
 *   `expires-at`. Default 900 (15 minutes): the reference agent signs every message for exactly 15 minutes, DRP 1.0
 *   recommends "no more than 10". A longer window is refused (STW_DRP_VALIDITY_TOO_LONG): a message valid for days
 *   could be kept and replayed long after the person asked.
 * - `STEWARD_DRP_AGENTS_REFRESH_SECONDS` — how often the agent discovery document is read again while the server runs
 *   (a file is also read when it changes). Default 300.
 * - `STEWARD_DRP_TECHNICAL_CONTACT`, `STEWARD_DRP_LOGO` — for the business discovery document.
 */
import { stewardError } from "../errors.ts";
import type { Manifest } from "../manifest/types.ts";

export interface DrpConfig {
  readonly agentsSource: string | undefined;
  readonly businessId: string;
  readonly skewSeconds: number;
  readonly maxValiditySeconds: number;
  readonly agentsRefreshSeconds: number;
  readonly technicalContact: string | undefined;
  readonly logo: string | undefined;
}

export function drpConfigFromEnv(manifest: Manifest, env: NodeJS.ProcessEnv = process.env): DrpConfig {
  const skew = env["STEWARD_DRP_CLOCK_SKEW_SECONDS"];
  const seconds = (name: string, fallback: number, min = 1): number => {
    const v = env[name]?.trim();
    if (!v) return fallback;
    if (!/^\d+$/.test(v) || Number(v) < min)
      throw stewardError("STW_DRP_BAD_SETTING", {
        name,
        value: v,
        detail: `a whole number of seconds, at least ${min}`,
      });
    return Number(v);
  };
  return {
    agentsSource: env["STEWARD_DRP_AGENTS"]?.trim() || undefined,
    businessId: env["STEWARD_DRP_BUSINESS_ID"]?.trim() || defaultBusinessId(manifest),
    skewSeconds: skew && /^\d+$/.test(skew) ? Number(skew) : 30,
    maxValiditySeconds: seconds("STEWARD_DRP_MAX_VALIDITY_SECONDS", 900),
    agentsRefreshSeconds: seconds("STEWARD_DRP_AGENTS_REFRESH_SECONDS", 300),
    technicalContact: env["STEWARD_DRP_TECHNICAL_CONTACT"]?.trim() || undefined,
    logo: env["STEWARD_DRP_LOGO"]?.trim() || undefined,
  };
}

/** `[A-Z_]+` as the discovery document's schema asks, from the organization's key. */
export function defaultBusinessId(manifest: Manifest): string {
  const key = manifest.organization?.key ?? "steward";
  return key.toUpperCase().replaceAll(/[^A-Z0-9]+/g, "_");
}
