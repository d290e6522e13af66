/**
 * A real SMTP server (`smtp-server`, 127.0.0.1, ephemeral port) for the `requests` benchmark: it accepts every mail,
 * keeps none, and hands each verification code to whoever waits for the recipient's code. The test suite's sink
 * (tests/requests/smtp-sink.ts) keeps every mail and polls for a match, which at 500 people waiting at once would
 * make the benchmark measure its own scanning.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface CodeSink {
  readonly url: string;
  /** Mails received, by kind: "code" (a verification code) and "other" (received, ready, done…). */
  readonly counts: { code: number; other: number };
  /** The next code mailed to `to` (one that arrived before the call is taken too). */
  codeFor(to: string, timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}

const unQuotedPrintable = (s: string) =>
  s.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

export async function startCodeSink(): Promise<CodeSink> {
  const arrived = new Map<string, string[]>();
  const waiting = new Map<string, (code: string) => void>();
  const counts = { code: 0, other: 0 };
  const deliver = (to: string, code: string) => {
    const waiter = waiting.get(to);
    if (waiter) {
      waiting.delete(to);
      waiter(code);
    } else arrived.set(to, [...(arrived.get(to) ?? []), code]);
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const text = unQuotedPrintable(Buffer.concat(chunks).toString("utf8"));
        const code = /enter this code/.test(text) ? /^\s{4}(\d{6})\s*$/m.exec(text)?.[1] : undefined;
        if (code) {
          counts.code += 1;
          for (const r of session.envelope.rcptTo) deliver(r.address.toLowerCase(), code);
        } else counts.other += 1;
        callback();
      });
    },
  });
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    counts,
    codeFor(to, timeoutMs) {
      const key = to.toLowerCase();
      const early = arrived.get(key)?.shift();
      if (early) return Promise.resolve(early);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(key);
          reject(new Error(`no code mailed within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(key, (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
