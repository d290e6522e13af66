import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderChecksDoc, renderErrorsDoc } from "./errors-doc.ts";

const docs = join(import.meta.dirname, "..", "docs");
writeFileSync(join(docs, "errors.md"), renderErrorsDoc());
writeFileSync(join(docs, "checks.md"), renderChecksDoc());
console.log("wrote docs/errors.md and docs/checks.md");
