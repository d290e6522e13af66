import { type Document, isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { type SourceLocation, type StewardError, stewardError } from "../errors.ts";

export type YamlPath = readonly (string | number)[];

/** A parsed manifest file that can say where any path inside it sits (line and column). */
export class YamlLocator {
  readonly document: Document.Parsed;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.document = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  /** The file's YAML syntax errors, each with its line and column. */
  syntaxErrors(): StewardError[] {
    return this.document.errors.map((e) =>
      stewardError("STW_MANIFEST_YAML_SYNTAX", { detail: e.message.split("\n")[0] ?? e.code }, this.at(e.pos[0])),
    );
  }

  /** Position of the value at `path`; falls back to the nearest ancestor that exists. */
  locate(path: YamlPath): SourceLocation {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.document.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && node.range) return this.at(node.range[0]);
    }
    return { file: this.file };
  }

  /** Position of the key `key` of the mapping at `path` (for unknown-key errors). */
  locateKey(path: YamlPath, key: string): SourceLocation {
    const map = path.length === 0 ? this.document.contents : this.document.getIn(path, true);
    if (isMap(map)) {
      for (const pair of map.items) {
        if (isScalar(pair.key) && pair.key.value === key && pair.key.range) return this.at(pair.key.range[0]);
      }
    }
    return this.locate(path);
  }

  at(offset: number): SourceLocation {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }
}
