/**
 * Finds, reads and validates a processor spec. `ref` is a shipped spec's name (`stripe`, `fullstory`: the files in
 * `./specs/`) or a path to a .yml/.yaml file relative to `root` (the manifest folder). A bad spec is one coded error
 * naming the file, the line and column, and the key; values under `auth` are never shown.
 *
 * @example
 *   const spec = await loadHttpSpec("stripe", "examples/learning-platform");
 */
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { stewardError } from "../../errors.ts";
import { didYouMean } from "../../manifest/did-you-mean.ts";
import { YamlLocator } from "../../manifest/yaml-locator.ts";
import { allowedKeys } from "../../manifest/zod-issues.ts";
import { type HttpSpec, httpSpecSchema } from "./http-spec.ts";

const SPECS_DIR = fileURLToPath(new URL("./specs/", import.meta.url));

/** Names of the specs shipped with Steward, sorted. */
export const SHIPPED_SPECS: readonly string[] = readdirSync(SPECS_DIR)
  .filter((f) => f.endsWith(".yml"))
  .map((f) => f.slice(0, -4))
  .sort();

export async function loadHttpSpec(ref: string, root: string): Promise<HttpSpec> {
  const file = SHIPPED_SPECS.includes(ref)
    ? join(SPECS_DIR, `${ref}.yml`)
    : /\.ya?ml$/i.test(ref)
      ? resolve(root, ref)
      : undefined;
  const text = file === undefined ? undefined : await readFile(file, "utf8").catch(() => undefined);
  if (file === undefined || text === undefined)
    throw stewardError("STW_SPEC_NOT_FOUND", { ref, allowed: [...SHIPPED_SPECS, "path/to/spec.yml"] });
  return parseHttpSpec(text, relative(process.cwd(), file) || file);
}

/** Parses and validates a spec's text; `file` is only used in messages. */
export function parseHttpSpec(text: string, file: string): HttpSpec {
  const locator = new YamlLocator(file, text);
  const [syntax] = locator.document.errors;
  if (syntax)
    throw stewardError(
      "STW_SPEC_YAML_SYNTAX",
      { detail: syntax.message.split("\n")[0] ?? syntax.code },
      locator.at(syntax.pos[0]),
    );
  const input: unknown = locator.document.toJS();
  const result = httpSpecSchema.safeParse(input);
  if (result.success) return result.data;
  // An unknown key first: a misspelt key also makes the key it should have been "missing".
  const issues = [...result.error.issues].sort(
    (a, b) => Number(b.code === "unrecognized_keys") - Number(a.code === "unrecognized_keys"),
  );
  return issueToError(issues[0]!, locator, input);
}

function issueToError(issue: z.core.$ZodIssue, locator: YamlLocator, input: unknown): never {
  const path = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
  // Values under `auth` may be a secret pasted by mistake: never repeat them.
  const secret = path[0] === "auth" && path[1] !== "type";
  if (issue.code === "unrecognized_keys") {
    const [key = ""] = issue.keys;
    const allowed = allowedKeys(httpSpecSchema, issue.path);
    const suggestion = didYouMean(key, allowed);
    throw stewardError(
      "STW_SPEC_INVALID",
      {
        key: [...path, key].join("."),
        detail: `is not a known key${suggestion ? ` — did you mean "${suggestion}"?` : ""}`,
        allowed,
      },
      locator.locateKey(path, key),
    );
  }
  const value = valueAt(input, path);
  const missing = issue.code === "invalid_type" && value === undefined;
  throw stewardError(
    "STW_SPEC_INVALID",
    {
      key: path.join(".") || "(top level)",
      detail: missing ? "is missing" : issue.message,
      value: missing ? undefined : secret ? "a value not shown here" : show(value),
      allowed: issue.code === "invalid_value" ? issue.values.map(String) : undefined,
    },
    locator.locate(path),
  );
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
