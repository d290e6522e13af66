/** Renders docs/errors.md and docs/checks.md from the registries, so code and docs cannot drift apart. */
import { CHECK_RULES } from "../src/check/rules.ts";
import { ERRORS } from "../src/errors.ts";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderErrorsDoc(): string {
  const rows = Object.entries(ERRORS).map(
    ([code, e]) => `| \`${code}\` | ${e.status} | ${cell(e.summary)} | ${cell(e.fix)} |`,
  );
  return `# Errors

Generated from \`src/errors.ts\` by \`npm run docs:errors\`; a test fails when the two differ. Every error Steward shows
has one of these codes. The CLI prints \`error CODE: message\` (exit code 2); the HTTP API answers
\`{"code": "…", "message": "…"}\` with the status below. The message always names the bad value and the allowed values.
Codes are never reused.

| code | HTTP | when | how to fix |
|---|---|---|---|
${rows.join("\n")}
`;
}

export function renderChecksDoc(): string {
  const rows = Object.values(CHECK_RULES).map(
    (r) => `| \`${r.code}\` | ${r.severity} | ${cell(r.title)} | ${cell(r.fix)} |`,
  );
  return `# Checks (\`steward check\`)

Generated from \`src/check/rules.ts\` by \`npm run docs:errors\`; a test fails when the two differ. \`steward check\`
exits 0 when there is no error-level finding, 1 when there is, and 2 when the manifest cannot be loaded at all (the
loading errors are listed in [errors.md](errors.md)). With \`--json\` it prints
\`{"errors": [...], "warnings": [...], "summary": {...}}\`; each finding has \`code\`, \`severity\`, \`message\`,
\`location\` (\`file\`, \`line\`, \`column\`) and \`fix\`.

| code | severity | finding | how to fix |
|---|---|---|---|
${rows.join("\n")}
`;
}
