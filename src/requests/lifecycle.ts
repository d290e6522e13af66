/**
 * A request's states and the moves between them. Pure: the service checks every change against `canMove` inside the
 * transaction that makes it, so two operators (or two workers) cannot both move one request.
 *
 *   received → awaiting_verification → verified → [awaiting_approval →] in_progress → completed | partially_completed
 *   denied (from verified, awaiting_approval or in_progress), expired (never verified), cancelled (before work starts),
 *   routed (the part held as processor is with its controller)
 */
import type { RequestType } from "../manifest/types.ts";

export const REQUEST_STATUSES = [
  "received",
  "awaiting_verification",
  "verified",
  "awaiting_approval",
  "in_progress",
  "routed",
  "completed",
  "partially_completed",
  "denied",
  "expired",
  "cancelled",
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Still to be answered: these count against the deadline. */
export const OPEN_STATUSES: readonly RequestStatus[] = [
  "received",
  "awaiting_verification",
  "verified",
  "awaiting_approval",
  "in_progress",
  "routed",
];

const MOVES: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  received: ["awaiting_verification", "verified", "cancelled"],
  awaiting_verification: ["verified", "expired", "cancelled"],
  verified: ["awaiting_approval", "in_progress", "denied", "cancelled"],
  awaiting_approval: ["in_progress", "denied", "cancelled"],
  in_progress: ["completed", "partially_completed", "denied", "routed", "in_progress"],
  routed: ["completed", "partially_completed", "denied"],
  // A partial answer can be tried again once the store that failed is back.
  partially_completed: ["in_progress"],
  completed: [],
  denied: [],
  expired: [],
  cancelled: [],
};

export function canMove(from: RequestStatus, to: RequestStatus): boolean {
  return MOVES[from].includes(to);
}

/** The states a request may be in for it to move to `to`. */
export function statesBefore(to: RequestStatus): RequestStatus[] {
  return REQUEST_STATUSES.filter((s) => MOVES[s].includes(to));
}

export const isOpen = (status: string): boolean => (OPEN_STATUSES as readonly string[]).includes(status);

/** Request types the engine carries out on the data; the rest change processing (the consent ledger's work). */
export const DATA_REQUEST_TYPES: readonly RequestType[] = ["access", "portability", "erasure", "rectification"];

export const changesData = (type: RequestType): boolean => DATA_REQUEST_TYPES.includes(type);
