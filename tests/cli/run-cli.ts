import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");

/** Runs the real `steward` bin (as `npx steward` would) and returns its exit code and output. */
export function steward(args: readonly string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
