/**
 * The start of a standalone HTML page, up to and including `</head>`: what the notice, the access report and the SDK's
 * demo page begin with. `head` holds the page's own lines (title, style, scripts), already escaped by the caller.
 *
 * @example `${pageStart([`<title>${escapeHtml(title)}</title>`])}<body>…`
 */
export function pageStart(head: readonly string[], lang = "en"): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${head.join("\n")}
</head>
`;
}
