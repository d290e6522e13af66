import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { isStewardError } from "../../src/errors.ts";
import { FIDESLANG_ATTRIBUTION } from "../../src/manifest/taxonomy/fideslang.ts";
import { type Manifest, NOTICE_SECTIONS } from "../../src/manifest/types.ts";
import { buildNotice } from "../../src/notice/build-notice.ts";
import { createSlugger } from "../../src/notice/format-notice-markdown.ts";
import type { Block, NoticeDocument } from "../../src/notice/notice-document.ts";
import { LEGAL_BASIS_NAMES } from "../../src/notice/plain-words.ts";
import { renderNotice } from "../../src/notice/render-notice.ts";
import { sectionId } from "../../src/notice/section-titles.ts";
import { FIXTURE_DIR, htmlIds, loadFixture, mainSectionIds } from "./fixture.ts";

const run = promisify(execFile);
let manifest: Manifest;
let doc: NoticeDocument;
let html: string;
let md: string;

beforeAll(async () => {
  manifest = await loadFixture();
  doc = buildNotice(manifest);
  html = renderNotice(manifest, "html");
  md = renderNotice(manifest, "md");
});

const inlineText = (xs: readonly (string | { text: string })[]) =>
  xs.map((x) => (typeof x === "string" ? x : x.text)).join("");

/** All text of one block, flattened (links and emphasis as their text). */
function blockText(b: Block): string {
  switch (b.kind) {
    case "paragraph":
      return inlineText(b.text);
    case "list": {
      const items = (is: typeof b.items): string =>
        is.map((i) => inlineText(i.text) + (i.items ? items(i.items) : "")).join("\n");
      return items(b.items);
    }
    case "facts":
      return b.facts.map((f) => `${f.term}: ${inlineText(f.text)}`).join("\n");
    case "table":
      return b.rows.map((r) => r.map(inlineText).join(" | ")).join("\n");
    case "subsection":
      return `${b.title}\n${plain(b.blocks)}`;
  }
}

const plain = (blocks: readonly Block[]): string => blocks.map(blockText).join("\n");
const sectionText = (key: string) => plain(doc.sections.find((s) => s.key === key)?.blocks ?? []);

describe("notice from the fixture manifest", () => {
  it("renders the sections in the manifest's order, in both formats", () => {
    const expected = manifest.notice!.sections;
    expect(doc.sections.map((s) => s.key)).toEqual(expected);
    const known = NOTICE_SECTIONS.map(sectionId);
    expect(mainSectionIds(html, known)).toEqual(expected.map(sectionId));
    const mdHeadings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]).filter((h) => h !== "Contents");
    expect(mdHeadings).toEqual(doc.sections.map((s) => s.title));
  });

  it("shows every purpose with its name and its legal basis in plain words", () => {
    for (const p of manifest.purposes) {
      const section = doc.sections.find((s) => s.key === p.notice_section)!;
      const sub = section.blocks.find((b) => b.kind === "subsection" && b.title === p.name);
      expect(sub, p.key).toBeDefined();
      const text = plain([sub!]);
      if (p.processor_for) expect(text).toContain("we act as processor for Partner universities");
      else expect(text).toContain(`Legal basis: ${LEGAL_BASIS_NAMES[p.legal_basis!]}:`);
      expect(md).toContain(`### ${p.name}`);
      expect(html).toContain(`>${p.name}</h3>`);
    }
    // A purpose that names another section is shown there, not under "how we use".
    expect(sectionText("recorded_lectures")).toContain("Lecture recordings");
    expect(sectionText("how_we_use")).not.toContain("Lecture recordings");
  });

  it("lists the distinct legal bases with the legitimate interests", () => {
    const text = sectionText("legal_bases");
    for (const basis of ["Contract", "Legitimate interests", "Consent"]) expect(text).toContain(basis);
    expect(text).not.toContain("Vital interests");
    expect(text).toContain("Product analytics: our interest is learning which features help learners finish courses.");
    expect(text).toContain("Partner universities decides the legal basis");
  });

  it("states retention in words, including the photo-ID rule", () => {
    const text = sectionText("retention");
    expect(text).toContain(
      "Photo ID documents | Identity document image | until identity verification succeeds, then deleted",
    );
    expect(text).toContain("7 years from paid_at");
    expect(text).toContain("while the account exists and 30 days after it is closed");
  });

  it("names the EU and UK representatives and the ICO and the Dutch authority", () => {
    const text = sectionText("complaints");
    expect(text).toMatch(
      /European Union: Example Learning Europe B\.V\., eu-rep@example-learning\.test, .*Netherlands/,
    );
    expect(text).toMatch(/United Kingdom: Example Learning UK Ltd, uk-rep@example-learning\.test, .*London/);
    expect(text).toContain("Information Commissioner's Office (United Kingdom)");
    expect(text).toContain("Autoriteit Persoonsgegevens (Netherlands)");
    expect(html).toContain('<a href="https://ico.org.uk">Information Commissioner&#39;s Office</a>');
  });

  it("splits rights between the GDPR jurisdictions and the U.S. states, with exemptions and deadlines", () => {
    const rights = sectionText("your_rights");
    expect(rights).toContain("European Economic Area");
    // The GDPR's own rule (one month, two more), not a count of days.
    expect(rights).toContain(
      "We answer within: one month from the day we receive your request; up to two more months for complex or numerous requests, and we tell you why within the first month",
    );
    expect(rights).toContain("How we confirm it is you: you make the request while signed in to your account");
    expect(rights).toContain("For-credit records — The awarding university decides");
    expect(rights).not.toContain("California");
    const us = sectionText("us_state_rights");
    expect(us).toContain("California");
    expect(us).toContain("Where it applies: California");
    // California's rule pack: 45 days with a receipt within 10 business days, and its own clock for opt-outs.
    expect(us).toContain(
      "We answer within: 45 days from the day we receive your request, and we confirm within 10 business days that we have it; up to 45 more days when we need them, and we tell you why within the first 45 days. To opt out of the sale of your personal data and of its sharing or use for targeted advertising: 15 business days from the day we receive your request",
    );
    expect(us).toContain(
      "How we confirm it is you: we confirm that you control the e-mail address on the account, or you ask while signed in; to opt out of the sale of your personal data and of its sharing or use for targeted advertising: no check is needed",
    );
    expect(us).toContain("In the United States you can opt out of: Product analytics and Newsletter.");
  });

  it("describes transfers, the DPF commitments, children and the revisions", () => {
    const transfers = sectionText("international_transfers");
    expect(transfers).toContain("mainly hosted in the United States");
    expect(transfers).toContain(
      "Stripe | service provider acting on our instructions | United States | EU-U.S. DPF, UK Extension to the EU-U.S. DPF",
    );
    expect(transfers).toContain("ID Check Co | service provider acting on our instructions | Germany | none needed");
    expect(sectionText("dpf_notice")).toContain("enforcement powers of the U.S. Federal Trade Commission.");
    expect(sectionText("children")).toContain("not meant for anyone under 13");
    expect(sectionText("revisions").split("\n")).toEqual([
      "1 January 2025 | Added payments. | yes",
      "1 June 2024 | First version. | no",
    ]);
  });

  it("puts the company's prose first in its section, one paragraph per blank-line block", () => {
    const blocks = doc.sections.find((s) => s.key === "external_links")!.blocks;
    expect(blocks.slice(0, 2)).toEqual([
      { kind: "paragraph", text: ["We link to other sites."] },
      { kind: "paragraph", text: ["Their own notices apply there."] },
    ]);
    expect(plain(blocks)).toContain("Stripe");
  });

  it("puts the version and effective date at the top and the fideslang credit at the bottom", () => {
    expect(html).toMatch(
      /<h1>Example Learning Privacy Notice<\/h1>\n<p class="meta">Version 2025\.1 · In force from <time datetime="2025-01-01">1 January 2025<\/time>/,
    );
    expect(md.split("\n")[2]).toBe("**Example Learning** · Version 2025.1 · In force from 1 January 2025");
    expect(html.indexOf(FIDESLANG_ATTRIBUTION)).toBeGreaterThan(html.indexOf("</main>"));
    expect(md.trimEnd().split("\n").at(-1)).toContain(FIDESLANG_ATTRIBUTION);
  });

  it("escapes HTML from the manifest", () => {
    expect(html).toContain("grading &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; progress");
    expect(html).not.toMatch(/<script/i);
    expect(md).toContain('grading &lt;script>alert("x")&lt;/script> & progress');
  });

  it("is a standalone accessible page whose every in-page link resolves", () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain("<title>Example Learning Privacy Notice — Example Learning</title>");
    expect(html).not.toMatch(/<(link|img|iframe)\b|src=/);
    const ids = htmlIds(html);
    const nav = html.slice(html.indexOf("<nav"), html.indexOf("</nav>"));
    const tocTargets = [...nav.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(tocTargets.length).toBeGreaterThan(manifest.notice!.sections.length);
    for (const target of [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!))
      expect(ids, target).toContain(target);
    for (const m of html.matchAll(/aria-labelledby="([^"]+)"/g)) expect(ids).toContain(m[1]);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
  });

  it("links the Markdown table of contents to GitHub's heading slugs", () => {
    const slug = createSlugger();
    const slugs = new Set([...md.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
    const targets = [...md.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(targets).toContain("how-long-we-keep-personal-data");
    for (const t of targets) expect(slugs, t).toContain(t);
  });

  it("leaves out a section the manifest holds no facts for", () => {
    const bare = { ...manifest, organization: { ...manifest.organization!, security_measures: [] } };
    const keys = buildNotice(bare).sections.map((s) => s.key);
    expect(keys).not.toContain("security");
    expect(keys).toContain("retention");
  });

  it("refuses a manifest without organization or notice, with a coded error", () => {
    const { organization: _o, ...noOrg } = manifest;
    const { notice: _n, ...noNotice } = manifest;
    const codeOf = (m: Manifest) => {
      try {
        buildNotice(m);
        return "no error";
      } catch (e) {
        return isStewardError(e) ? e.code : String(e);
      }
    };
    expect(codeOf(noOrg)).toBe("STW_MANIFEST_MISSING_ORGANIZATION");
    expect(codeOf(noNotice)).toBe("STW_MANIFEST_MISSING_NOTICE");
  });
});

describe("steward notice render", () => {
  const cli = (...args: string[]) =>
    run("npx", ["tsx", "src/cli/main.ts", "notice", "render", ...args]).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it("prints HTML or Markdown to stdout", async () => {
    const r = await cli(FIXTURE_DIR, "--format", "html");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(html);
    const m = await cli(FIXTURE_DIR);
    expect(m.stdout).toBe(md);
  });

  it("answers a bad format with a coded error and exit code 2", async () => {
    const r = await cli(FIXTURE_DIR, "--format", "pdf");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error STW_CLI_BAD_OPTION: option --format does not take "pdf"; allowed: "md", "html"');
  });
});
