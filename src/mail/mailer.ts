/**
 * Sending mail. With `STEWARD_SMTP_URL` (`smtp://user:pass@host:587`, `smtps://…` for TLS from the start) mail goes
 * through that server with nodemailer; without it, each message is written as an `.eml` file to `<data dir>/outbox/`,
 * so that `npm start` on a fresh machine still lets a newcomer read the code a request sends (the server says so when
 * it starts). The sender is `STEWARD_MAIL_FROM`, else the manifest's contact address.
 *
 * No personal data is logged: a delivery is reported by message kind and request id only.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { stewardError } from "../errors.ts";
import { redactUrl } from "../store/store-options.ts";

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

export interface Mailer {
  /** Where mail goes, without credentials: "smtp://host:port" or the outbox folder. */
  readonly target: string;
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  readonly smtpUrl?: string | undefined;
  readonly from: string;
  /** The outbox folder when there is no SMTP server. */
  readonly outbox?: string;
}

export function createMailer(options: MailerOptions): Mailer {
  if (options.smtpUrl) return smtpMailer(options.smtpUrl, options.from);
  return outboxMailer(resolve(options.outbox ?? join(".steward", "outbox")), options.from);
}

function smtpMailer(url: string, from: string): Mailer {
  let transport: Transporter;
  try {
    // Pooled: connections are kept and reused (up to 5, 100 messages each), so a burst of mail is not a TCP and
    // SMTP handshake per message. `?pool=false` in the URL turns it off.
    transport = nodemailer.createTransport({ url, pool: true });
  } catch (error) {
    throw stewardError("STW_MAIL_BAD_URL", { value: redactUrl(url), detail: (error as Error).message });
  }
  const target = redactUrl(url);
  return {
    target,
    async send(message) {
      try {
        await transport.sendMail({ from, ...message });
      } catch (error) {
        const e = error as Error & { responseCode?: number };
        // A 5xx answer is the server's last word on this recipient; anything else (no connection, a timeout, a
        // 4xx) may pass later. Servers quote the address in their answer: it is cut out of the detail.
        const detail = withoutAddresses(e.message);
        throw stewardError(
          e.responseCode !== undefined && e.responseCode >= 500 && e.responseCode < 600
            ? "STW_MAIL_REFUSED"
            : "STW_MAIL_FAILED",
          { target, detail },
        );
      }
    },
    close: () => transport.close(),
  };
}

/** An SMTP answer without the addresses it quotes. */
export const withoutAddresses = (text: string): string => text.replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, "<address>");

function outboxMailer(dir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  let n = 0;
  return {
    target: dir,
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      await mkdir(dir, { recursive: true, mode: 0o700 });
      n += 1;
      const name = `${new Date().toISOString().replaceAll(":", "-")}-${process.pid}-${n}.eml`;
      await writeFile(join(dir, name), info.message as Buffer, { mode: 0o600 });
    },
    close: () => {},
  };
}
