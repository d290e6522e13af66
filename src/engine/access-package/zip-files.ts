/**
 * A ZIP archive that is the same bytes for the same files: fflate's deflate is deterministic, the entries keep the
 * order given, and every entry carries one fixed time (1980-01-01 00:00, the earliest a ZIP can hold) instead of the
 * clock — so a package can be checksummed and reproduced. The time is built from local parts because ZIP stores
 * local wall-clock time and fflate reads it back with local getters: any machine's time zone writes the same bytes.
 *
 * fflate's async `zip` deflates files over 160 kB on worker threads, so a large package does not block the server.
 */
import { type AsyncZippable, zip } from "fflate";

/** @param files path in the archive → content, in the order they are to appear. */
export function zipFiles(files: ReadonlyMap<string, Uint8Array>): Promise<Uint8Array> {
  // Built at each call, in the time zone fflate will read it in.
  const mtime = new Date(1980, 0, 1, 0, 0, 0);
  const entries: AsyncZippable = {};
  for (const [path, data] of files) entries[path] = [data, { mtime, level: 6 }];
  return new Promise((resolve, reject) => {
    zip(entries, (err, data) => (err ? reject(err) : resolve(data)));
  });
}
