/**
 * Graphviz DOT → SVG without a Graphviz install: `@viz-js/viz` is Graphviz compiled to WebAssembly, loaded on first
 * use (about 40 ms) so that commands which never draw do not pay for it. Kept out of `plan/`, which stays pure.
 *
 * @example
 *   process.stdout.write(await dotToSvg(planToDot(plan)));
 */
import { stewardError } from "../errors.ts";

/** Renders `dot` with the `dot` layout; the result starts at `<svg` (no XML prolog), ready to embed in HTML. */
export async function dotToSvg(dot: string): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const result = (await instance()).render(dot, { format: "svg", engine: "dot" });
  // The DOT comes from Steward's own renderers, so a failure here is a bug, not a user error.
  if (result.status !== "success")
    throw stewardError("STW_INTERNAL", {
      detail: `Graphviz could not lay out the graph: ${result.errors.map((e) => e.message).join("; ")}`,
    });
  const start = result.output.indexOf("<svg");
  return result.output.slice(start);
}
