/**
 * What every part of the request service works with: the store, the manifest, the secret's tools, mail, jobs, the
 * engine's connections, configuration and the clock. Built once by `openRequestService`; tests pass their own clock
 * and mail server.
 */
import type { ConsentLedger } from "../consent/consent-ledger.ts";
import type { StoreOptions as EngineStoreOptions } from "../engine/stores.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import type { Mailer } from "../mail/mailer.ts";
import type { Manifest } from "../manifest/types.ts";
import type { KeyedHash } from "../secrets/keyed-hash.ts";
import type { Sealer } from "../secrets/seal.ts";
import type { Store } from "../store/store.ts";
import type { HostTokens } from "./host-token.ts";

export interface RequestServiceConfig {
  /** Base URL of this server in links sent by mail (`STEWARD_PUBLIC_URL`). Default http://127.0.0.1:3000. */
  readonly publicUrl: string;
  /** Minutes a verification code works. Default 15. */
  readonly codeMinutes: number;
  /** Wrong codes before the request is locked. Default 5. */
  readonly maxTries: number;
  /** Seconds between two codes sent for one request. Default 60. */
  readonly resendSeconds: number;
  /** Codes sent for one request at most. Default 5. */
  readonly maxSends: number;
  /** Hours an unverified request waits before it expires. Default 72 (`STEWARD_UNVERIFIED_HOURS`). */
  readonly unverifiedHours: number;
  /** Days a package's download link works (and the package is kept). Default 7. */
  readonly packageDays: number;
  /** Request types an operator approves before they run (besides what the manifest says). Default none. */
  readonly approvalTypes: readonly string[];
  /** The controller's time zone, for due days. Default UTC (`STEWARD_TIME_ZONE`). */
  readonly timeZone: string;
  /**
   * Automatic retries of a partial answer (a store unreachable, a write failed, the proof incomplete) before it waits
   * for an operator's `retry`. Default 6 (`STEWARD_RETRY_TRIES`); 0 turns them off.
   */
  readonly retryTries: number;
  /**
   * Seconds before the first automatic retry; each next one waits twice as long as the one before. Default 900 (15
   * minutes: with 6 tries the last starts about 16 hours after the first answer), `STEWARD_RETRY_SECONDS`. Size it to
   * how long the deployment's stores are typically down; the deadline keeps running meanwhile.
   */
  readonly retrySeconds: number;
  /**
   * Months a closed request's record (its row, sealed identities, code and package) is kept before the workers delete
   * it; its audit events stay, without their payloads. Default 24 (`STEWARD_REQUEST_RECORD_MONTHS`): the CCPA
   * regulations ask for at least 24 months (11 CCR §7101(a)); 0 keeps records for ever.
   */
  readonly recordMonths: number;
  /**
   * Where the workers write when a request needs an operator (its automatic retries are used up):
   * `STEWARD_ALERT_MAIL`, else the manifest's data protection officer, else its contact address.
   */
  readonly alertMail?: string;
}

export const DEFAULT_CONFIG: RequestServiceConfig = {
  publicUrl: "http://127.0.0.1:3000",
  codeMinutes: 15,
  maxTries: 5,
  resendSeconds: 60,
  maxSends: 5,
  unverifiedHours: 72,
  packageDays: 7,
  approvalTypes: [],
  timeZone: "UTC",
  retryTries: 6,
  retrySeconds: 900,
  recordMonths: 24,
};

/** Configuration from the environment, over the defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RequestServiceConfig {
  const num = (name: string, fallback: number) => {
    const v = env[name];
    return v && /^\d+$/.test(v) ? Number(v) : fallback;
  };
  return {
    ...DEFAULT_CONFIG,
    publicUrl: (env["STEWARD_PUBLIC_URL"] || DEFAULT_CONFIG.publicUrl).replace(/\/+$/, ""),
    unverifiedHours: num("STEWARD_UNVERIFIED_HOURS", DEFAULT_CONFIG.unverifiedHours),
    packageDays: num("STEWARD_PACKAGE_DAYS", DEFAULT_CONFIG.packageDays),
    approvalTypes: (env["STEWARD_APPROVAL_TYPES"] ?? "").split(",").filter(Boolean),
    timeZone: env["STEWARD_TIME_ZONE"] || "UTC",
    retryTries: num("STEWARD_RETRY_TRIES", DEFAULT_CONFIG.retryTries),
    retrySeconds: num("STEWARD_RETRY_SECONDS", DEFAULT_CONFIG.retrySeconds),
    recordMonths: num("STEWARD_REQUEST_RECORD_MONTHS", DEFAULT_CONFIG.recordMonths),
    ...(env["STEWARD_ALERT_MAIL"] ? { alertMail: env["STEWARD_ALERT_MAIL"] } : {}),
  };
}

export interface ServiceContext {
  readonly store: Store;
  readonly manifest: Manifest;
  /** The consent ledger: carries out the requests that change processing, and records an age below the minimum. */
  readonly consent: ConsentLedger;
  readonly sealer: Sealer;
  readonly hash: KeyedHash;
  readonly mailer: Mailer;
  /** Absent in a process that only reads (the CLI's `requests list`); actions that start work then need one. */
  readonly jobs: JobQueue | undefined;
  readonly hostTokens: HostTokens | undefined;
  /** Where the engine finds the datasets (else their `${ENV_VAR}`). */
  readonly engine: EngineStoreOptions;
  readonly config: RequestServiceConfig;
  readonly now: () => Date;
}
