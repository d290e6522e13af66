/**
 * A real SMTP server for the tests (the `smtp-server` package on an ephemeral port of 127.0.0.1): it accepts every
 * message and keeps what it received, decoded enough to read a code or a link from the text.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  readonly to: readonly string[];
  readonly raw: string;
  readonly subject: string;
  /** The body with quoted-printable undone. */
  readonly text: string;
}

export interface SmtpSink {
  readonly url: string;
  readonly mails: ReceivedMail[];
  /** Waits for a mail to `to` that matches `pattern` (default: any), newest first, among those after the `since`th. */
  waitFor(to: string, pattern?: RegExp, since?: number, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

const unQuotedPrintable = (s: string) =>
  s.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

export async function startSmtpSink(options: { refuse?: (address: string) => boolean } = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    // A recipient the test names is refused for good (550), quoting the address as real servers do.
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address))
        return callback(Object.assign(new Error(`No such user here: <${address.address}>`), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const split = raw.search(/\r?\n\r?\n/);
        const headers = raw.slice(0, split);
        const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(headers)?.[1]?.replace(/\r?\n[ \t]/g, " ") ?? "";
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject,
          text: unQuotedPrintable(raw.slice(split).trim()),
        });
        callback();
      });
    },
  });
  // A client killed mid-conversation resets its socket: that is the client's business, not a failure of the sink.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitFor(to, pattern = /./, since = 0, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = mails
          .slice(since)
          .reverse()
          .find((m) => m.to.includes(to) && pattern.test(m.text + m.subject));
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`no mail to ${to} matching ${pattern} within ${timeoutMs} ms (got ${mails.length} in all)`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The six-digit code of the newest code mail to `to` (after the `since`th mail). */
export async function codeFor(sink: SmtpSink, to: string, since = 0): Promise<string> {
  const mail = await sink.waitFor(to, /enter this code/, since);
  const code = /^\s{4}(\d{6})\s*$/m.exec(mail.text)?.[1];
  if (!code) throw new Error(`no code in the mail to ${to}`);
  return code;
}
