/**
 * Proving it is you: a six-digit code sent by mail, kept only as a keyed hash, working for `codeMinutes`; five wrong
 * tries lock the request (and the person is told); a new code at most every `resendSeconds`, `maxSends` in all. The
 * code is compared in constant time. A right code verifies the request and hands the person a fresh request token.
 */

import { randomBytes, randomInt } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { auditedTransaction } from "../audit/append-audit-event.ts";
import { stewardError } from "../errors.ts";
import { codeMail } from "../mail/request-mails.ts";
import { sameSecret, sha256 } from "../secrets/keyed-hash.ts";
import type { StoreSchema } from "../store/store-schema.ts";
import { afterVerified, queueMail } from "./advance-request.ts";
import { lockRequest, noteRequest, type RequestRow } from "./move-request.ts";
import { mailFacts } from "./request-words.ts";
import type { ServiceContext } from "./service-context.ts";
import type { Identity } from "./subject.ts";

/** A fresh six-digit code for the request, stored as a keyed hash (replacing any earlier one). */
export async function newCode(ctx: ServiceContext, trx: Kysely<StoreSchema>, row: RequestRow): Promise<string> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const now = ctx.now();
  const expires = new Date(now.getTime() + ctx.config.codeMinutes * 60_000);
  const code_hash = ctx.hash.code(row.id, code);
  await trx
    .insertInto("verification_codes")
    .values({ request_id: row.id, code_hash, expires_at: expires, sent_at: now })
    .onConflict((oc) =>
      oc.column("request_id").doUpdateSet({
        code_hash,
        expires_at: expires,
        sent_at: now,
        tries: 0,
        sends: sql`verification_codes.sends + 1`,
      }),
    )
    .execute();
  await noteRequest(trx, row, "request.code_created", "system", { expires_at: expires.toISOString() });
  return code;
}

/** Mails the code; records the delivery (or its failure) in the trail. Returns whether it went. */
export async function sendCode(
  ctx: ServiceContext,
  row: RequestRow,
  identity: Identity,
  code: string,
): Promise<boolean> {
  const to = identity["email"];
  if (!to) return false;
  try {
    await ctx.mailer.send(codeMail(mailFacts(ctx, row, to), code, ctx.config.codeMinutes));
    await noteRequest(ctx.store.db, row, "mail.sent", "system", { mail: "code" });
    return true;
  } catch {
    // The person can ask for a new code; the trail says this one did not go (the reason is in the mailer's error).
    await noteRequest(ctx.store.db, row, "mail.failed", "system", { mail: "code" });
    return false;
  }
}

/** The error for a code action on a request that no longer waits for its code, or undefined when it does. */
function notAwaiting(row: RequestRow, action: string): Error | undefined {
  if (row.status === "awaiting_verification") return undefined;
  return stewardError("STW_REQUEST_WRONG_STATE", {
    id: row.id,
    action,
    status: row.status,
    allowed: ["awaiting_verification"],
  });
}

export async function resendCode(ctx: ServiceContext, id: string): Promise<RequestRow> {
  const { row, code } = await ctx.store.db.transaction().execute(async (trx) => {
    const row = await lockRequest(trx, id);
    const wrong = notAwaiting(row, "send a new code for");
    if (wrong) throw wrong;
    const current = await trx
      .selectFrom("verification_codes")
      .selectAll()
      .where("request_id", "=", id)
      .executeTakeFirst();
    if (current?.locked_at) throw stewardError("STW_REQUEST_LOCKED", { tries: current.tries });
    if (current) {
      const wait = Math.ceil(
        (current.sent_at.getTime() + ctx.config.resendSeconds * 1000 - ctx.now().getTime()) / 1000,
      );
      if (wait > 0) throw stewardError("STW_REQUEST_RESEND_TOO_SOON", { seconds: wait });
      if (current.sends >= ctx.config.maxSends)
        throw stewardError("STW_REQUEST_RESEND_TOO_SOON", { seconds: ctx.config.codeMinutes * 60 });
    }
    return { row, code: await newCode(ctx, trx, row) };
  });
  const identity = ctx.sealer.openJson<Identity>(row.identities_enc ?? "", `identities:${row.id}`);
  if (!(await sendCode(ctx, row, identity, code)))
    throw stewardError("STW_MAIL_FAILED", { target: ctx.mailer.target, detail: "see the server log" });
  return row;
}

export interface Verified {
  readonly row: RequestRow;
  readonly token: string;
}

type Attempt =
  | { readonly ok: true; readonly row: RequestRow; readonly token: string }
  | { readonly ok: false; readonly error: Error };

export async function verifyCode(ctx: ServiceContext, id: string, code: string): Promise<Verified> {
  // Wrong tries must be counted even though the answer is an error: the transaction commits, then the error is thrown.
  const attempt = await auditedTransaction(ctx.store.db, async (trx): Promise<Attempt> => {
    const row = await lockRequest(trx, id);
    const wrong = notAwaiting(row, "verify");
    if (wrong) return { ok: false, error: wrong };
    const stored = await trx
      .selectFrom("verification_codes")
      .selectAll()
      .where("request_id", "=", id)
      .executeTakeFirst();
    if (!stored)
      return { ok: false, error: stewardError("STW_REQUEST_CODE_EXPIRED", { minutes: ctx.config.codeMinutes }) };
    if (stored.locked_at) return { ok: false, error: stewardError("STW_REQUEST_LOCKED", { tries: stored.tries }) };
    if (stored.expires_at.getTime() < ctx.now().getTime())
      return { ok: false, error: stewardError("STW_REQUEST_CODE_EXPIRED", { minutes: ctx.config.codeMinutes }) };
    const given = /^\d{6}$/.test(code.trim()) ? ctx.hash.code(id, code.trim()) : "";
    if (!sameSecret(given.padEnd(stored.code_hash.length, "x"), stored.code_hash)) {
      const tries = stored.tries + 1;
      const lock = tries >= ctx.config.maxTries;
      await trx
        .updateTable("verification_codes")
        .set({ tries, ...(lock ? { locked_at: ctx.now() } : {}) })
        .where("request_id", "=", id)
        .execute();
      await noteRequest(trx, row, lock ? "request.locked" : "request.code_wrong", "subject", { tries });
      if (lock) {
        await queueMail(ctx, trx, row, "locked");
        return { ok: false, error: stewardError("STW_REQUEST_LOCKED", { tries }) };
      }
      return { ok: false, error: stewardError("STW_REQUEST_BAD_CODE", { tries_left: ctx.config.maxTries - tries }) };
    }
    await trx.deleteFrom("verification_codes").where("request_id", "=", id).execute();
    // The proof makes a new token and voids every earlier one: whoever typed the address before the person proved
    // it is theirs (the submitter, perhaps not the person) sees nothing of the request from now on.
    const token = randomBytes(24).toString("base64url");
    await trx
      .updateTable("requests")
      .set({ token_hashes: sql`array[${sha256(token)}]::text[]` })
      .where("id", "=", id)
      .execute();
    return { ok: true, row: await afterVerified(ctx, trx, row, "email_code", "subject"), token };
  });
  if (!attempt.ok) throw attempt.error;
  return { row: attempt.row, token: attempt.token };
}
