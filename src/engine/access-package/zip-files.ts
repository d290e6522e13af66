/**
 * A ZIP archive that is the same bytes for the same files: fflate's deflate is deterministic for the same chunks, the
 * entries keep the order given, and every entry carries one fixed time (1980-01-01 00:00, the earliest a ZIP can
 * hold) instead of the clock — so a package can be checksummed and reproduced. ZIP stores local wall-clock time and
 * fflate reads the Date back with local getters, so the time is built from local parts at each call: any machine's
 * time zone writes the same bytes.
 *
 * Files are deflated on this thread in fixed 256 KiB chunks, yielding to the event loop between chunks, so a large
 * package does not stall a server. (fflate's worker-based `zip` was slower here: starting a worker per file cost
 * 70–200 ms, more than deflating a typical package takes.)
 */
import { Zip, ZipDeflate } from "fflate";

const CHUNK = 256 * 1024;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** @param files path in the archive → content, in the order they are to appear. */
export async function zipFiles(files: ReadonlyMap<string, Uint8Array>): Promise<Uint8Array> {
  const mtime = new Date(1980, 0, 1, 0, 0, 0);
  const parts: Uint8Array[] = [];
  let failure: Error | null = null;
  const archive = new Zip((err, data) => {
    if (err) failure ??= err;
    else parts.push(data);
  });
  for (const [path, data] of files) {
    const entry = new ZipDeflate(path, { level: 6 });
    entry.mtime = mtime;
    archive.add(entry);
    for (let at = 0; ; at += CHUNK) {
      const final = at + CHUNK >= data.length;
      entry.push(data.subarray(at, at + CHUNK), final);
      if (final) break;
      await nextTurn();
    }
  }
  archive.end();
  if (failure) throw failure;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
