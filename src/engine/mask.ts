/**
 * Masked values that keep a row valid. A mask strategy says what the manifest wants (null, a fixed string, a random
 * string, a hash, an HMAC with the request's secret); the column says what the store accepts (type, length, NOT NULL,
 * UNIQUE). This module reconciles the two, purely:
 *
 * - a string mask fits the column's length; on a UNIQUE column it stays distinct per row;
 * - `null` on a NOT NULL column becomes the nearest valid value (a random string, 0, false, the epoch), said in `note`;
 * - where no valid value exists (a NOT NULL reference to another row, a UNIQUE number) the value is retained, with the
 *   reason, instead of breaking the row;
 * - every masked value is a fixed point: a value that already carries a mask (`~r…`, `~h…`, `~k…`, the fixed string,
 *   NULL, the type's default) is left alone. That is what makes a second erasure — or a resumed one — change nothing.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import type { MaskStrategy } from "../manifest/types.ts";

/** What the engine knows of a column: from the store's introspection, else from the manifest's data_type/length. */
export interface ColumnShape {
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly unique: boolean;
  readonly maxLength?: number;
  /** The column references another row's key: it cannot take an invented value. */
  readonly reference: boolean;
  /** The store enforces that reference (a foreign key): only NULL, where allowed, keeps it valid. */
  readonly foreignKey?: boolean;
}

export type ColumnType = "string" | "integer" | "number" | "boolean" | "date" | "json" | "other";

export interface MaskRequest {
  readonly strategy: MaskStrategy;
  /** The fixed string, for `fixed`. */
  readonly value?: string;
  /** Per-request secret for `hmac`. */
  readonly secret: Uint8Array;
}

export type MaskOutcome =
  | { readonly kind: "unchanged" }
  | { readonly kind: "set"; readonly value: unknown; readonly note?: string }
  | { readonly kind: "retain"; readonly why: string };

/** A Steward mark: "~r" (random), "~h" (hash) or "~k" (HMAC) and hex digits. */
const MARK = /^~[rhk][0-9a-f]*$/;
/** Shorter marks are taken for marks only when they fill the column (a mask cut to fit): "~rab" could be a name. */
const SURE_MARK_LENGTH = 10;
/** Below this length a UNIQUE column cannot hold masks that stay distinct ("~r" + 8 random characters). */
const SHORTEST_UNIQUE_MASK = 10;
const DEFAULT_STRING_LENGTH = 24;
const EPOCH = "1970-01-01";

/** Maps a store's type name (or a manifest data_type) to the shape class masks care about. */
export function columnTypeOf(type: string | undefined): ColumnType {
  const t = (type ?? "string").toLowerCase();
  if (/char|text|string|clob|uuid|citext|enum|set\(/.test(t)) return "string";
  if (/^(tinyint\(1\)|bool)/.test(t)) return "boolean";
  if (/int|serial/.test(t)) return "integer";
  if (/numeric|decimal|real|double|float|money/.test(t)) return "number";
  if (/date|time|year/.test(t)) return "date";
  if (/json/.test(t)) return "json";
  return "other";
}

/** True when `current` already holds what the strategy would write (or any Steward mask): nothing to do. */
export function isMasked(current: unknown, column: ColumnShape, mask: MaskRequest): boolean {
  if (current === null || current === undefined) return true;
  if (column.type !== "string") return isDefault(current, column.type);
  const text = String(current);
  if (isMark(text, column.maxLength)) return true;
  if (mask.strategy === "fixed" && mask.value !== undefined) {
    const fixed = clip(mask.value, column.maxLength);
    // On a UNIQUE column the fixed value is cut to leave room for "~" and 12 hex digits of the row.
    const suffixed = /~[0-9a-f]{12}$/.test(text) && mask.value.startsWith(text.slice(0, -13));
    return text === fixed || suffixed;
  }
  return false;
}

/**
 * The value to write for one field of one row. `rowKey` makes per-row values distinct on UNIQUE columns; `current`
 * is the value now in the row (needed by hash/hmac and for the fixed-point check).
 */
export function maskValue(current: unknown, column: ColumnShape, mask: MaskRequest, rowKey: string): MaskOutcome {
  if (isMasked(current, column, mask)) return { kind: "unchanged" };
  // A foreign key of any type (a UNIQUE token, a code) accepts no invented value: NULL where allowed, else it stays.
  if (column.foreignKey)
    return column.nullable
      ? { kind: "set", value: null, ...noteIf(mask.strategy !== "null", "foreign key") }
      : { kind: "retain", why: "NOT NULL reference to another row: it cannot be cleared without breaking it" };
  if (column.type === "string") return maskString(String(current), column, mask, rowKey);
  // Numbers, dates, booleans, JSON: NULL where allowed, else the type's neutral value — unless that would break a
  // reference or a uniqueness rule, in which case the value stays and the reason is reported.
  if (column.nullable) return { kind: "set", value: null, ...noteIf(mask.strategy !== "null", "non-text column") };
  if (column.reference)
    return { kind: "retain", why: "NOT NULL reference to another row: it cannot be cleared without breaking it" };
  if (column.unique) return { kind: "retain", why: "NOT NULL and UNIQUE number: no neutral value keeps it valid" };
  const value = neutral(column.type);
  if (value === undefined) return { kind: "retain", why: `NOT NULL ${column.type} column with no neutral value` };
  return { kind: "set", value, note: `NOT NULL column: set to ${JSON.stringify(value)} instead of NULL` };
}

function maskString(current: string, column: ColumnShape, mask: MaskRequest, rowKey: string): MaskOutcome {
  const max = column.maxLength;
  if (max !== undefined && column.unique && max < SHORTEST_UNIQUE_MASK) {
    // Too short for masks that stay distinct: NULL (which UNIQUE allows many times) where allowed, else kept.
    if (column.nullable)
      return {
        kind: "set",
        value: null,
        ...noteIf(mask.strategy !== "null", "UNIQUE column too short for a distinct mask"),
      };
    return {
      kind: "retain",
      why: `NOT NULL and UNIQUE with ${max} characters: too short for masks that stay distinct`,
    };
  }
  if (max !== undefined && max < 2 && mask.strategy !== "null")
    return column.nullable ? { kind: "set", value: null } : { kind: "set", value: "~", note: "one-character column" };
  switch (mask.strategy) {
    case "null":
      if (column.nullable) return { kind: "set", value: null };
      return { kind: "set", value: randomMark(max), note: "NOT NULL column: a random string instead of NULL" };
    case "fixed": {
      const fixed = clip(mask.value ?? "", max);
      if (!column.unique) return { kind: "set", value: fixed };
      // Distinct per row on a UNIQUE column, still recognisable as the fixed mask.
      const suffix = `~${digest("sha256", rowKey).slice(0, 12)}`;
      if (max !== undefined && max < suffix.length + 1)
        return { kind: "set", value: randomMark(max), note: "UNIQUE column too short for the fixed value" };
      return {
        kind: "set",
        value: `${clip(mask.value ?? "", max === undefined ? undefined : max - suffix.length)}${suffix}`,
      };
    }
    case "random":
      return { kind: "set", value: randomMark(max) };
    case "hash":
      return { kind: "set", value: clip(`~h${digest("sha256", current)}`, max) };
    case "hmac":
      return {
        kind: "set",
        value: clip(`~k${createHmac("sha256", mask.secret).update(current).digest("hex")}`, max),
      };
  }
}

/** True for a value Steward wrote as a mask — never for a value that merely starts like one ("~robert", "~rab"). */
function isMark(text: string, max: number | undefined): boolean {
  if (text === "~") return max === 1;
  return MARK.test(text) && (text.length >= SURE_MARK_LENGTH || text.length === max);
}

function randomMark(max: number | undefined): string {
  if (max !== undefined && max < 2) return "~";
  const length = Math.max(2, Math.min(max ?? DEFAULT_STRING_LENGTH, DEFAULT_STRING_LENGTH));
  let body = "";
  while (body.length < length - 2) body += randomBytes(16).toString("hex");
  return `~r${body}`.slice(0, length);
}

const clip = (text: string, max: number | undefined): string => (max === undefined ? text : text.slice(0, max));
const digest = (algorithm: string, text: string): string => createHash(algorithm).update(text).digest("hex");
const noteIf = (cond: boolean, note: string) => (cond ? { note } : {});

function neutral(type: ColumnType): unknown {
  switch (type) {
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    case "date":
      return EPOCH;
    case "json":
      return "{}";
    default:
      return undefined;
  }
}

function isDefault(value: unknown, type: ColumnType): boolean {
  switch (type) {
    case "integer":
    case "number":
      return Number(value) === 0;
    case "boolean":
      return value === false || value === 0 || value === "0" || value === "f";
    case "date": {
      // Drivers read a DATE as local midnight: the epoch day counts in UTC and in the process's time zone.
      if (value instanceof Date)
        return (
          value.getTime() === 0 ||
          (value.getFullYear() === 1970 && value.getMonth() === 0 && value.getDate() === 1 && value.getHours() === 0)
        );
      return Date.parse(String(value)) === 0 || String(value).startsWith(EPOCH);
    }
    case "json":
      return typeof value === "string"
        ? value.trim() === "{}"
        : typeof value === "object" && value !== null && Object.keys(value).length === 0;
    default:
      return false;
  }
}
