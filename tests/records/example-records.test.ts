import { describe, expect, it } from "vitest";
import { LEGAL_BASIS_NAMES } from "../../src/notice/plain-words.ts";
import { renderNotice } from "../../src/notice/render-notice.ts";
import { sectionId } from "../../src/notice/section-titles.ts";
import { buildRopa } from "../../src/records/build-ropa.ts";
import { ROPA_CSV_COLUMNS } from "../../src/records/format-ropa-csv.ts";
import { renderRopa } from "../../src/records/render-ropa.ts";
import { htmlIds, mainSectionIds, tryLoadExample } from "../notice/fixture.ts";
import { parseCsv } from "./parse-csv.ts";

// The example manifest is written in parallel with this code; until it loads, say why these tests do not run.
const { manifest, reason } = await tryLoadExample();

describe.skipIf(!manifest)(
  `notice and records of examples/learning-platform${manifest ? "" : ` — SKIPPED: the example does not load yet (${reason})`}`,
  () => {
    const m = manifest!;

    it("renders every listed section in order, each purpose with its legal basis, and resolvable links", () => {
      const html = renderNotice(m, "html");
      const ids = htmlIds(html);
      const sections = mainSectionIds(html, m.notice!.sections.map(sectionId));
      expect(sections).toEqual(m.notice!.sections.map(sectionId));
      for (const p of m.purposes) {
        expect(html).toContain(`>${p.name}</h3>`);
        if (!p.processor_for) expect(html).toContain(`<dd>${LEGAL_BASIS_NAMES[p.legal_basis!]}: `);
      }
      for (const target of [...html.matchAll(/href="#([^"]+)"/g)].map((x) => x[1]!))
        expect(ids, target).toContain(target);
      expect(html).toContain("until identity verification succeeds");
      for (const text of [
        "Coursera Europe B.V.",
        "Coursera UK Limited",
        "Information Commissioner&#39;s Office",
        "Autoriteit Persoonsgegevens",
      ])
        expect(html).toContain(text);
    });

    it("records every purpose once, partner_universities in Art. 30(2), and Stripe's transfer mechanism", () => {
      const ropa = buildRopa(m);
      const keys = [...ropa.activities, ...ropa.processor.activities].map((a) => a.key).sort();
      expect(keys).toEqual(m.purposes.map((p) => p.key).sort());
      const uni = ropa.processor.controllers.find((c) => c.key === "partner_universities");
      expect(uni?.name).toBe("Partner universities");
      expect(ropa.processor.activities.map((a) => a.controller.key)).toContain("partner_universities");
      const payments = ropa.activities.find((a) => a.recipients.some((r) => r.key === "stripe"));
      expect(payments?.transfers.find((t) => t.to === "Stripe")?.mechanisms).toContain("eu_us_dpf");
      const rows = parseCsv(renderRopa(ropa, "csv"));
      expect(rows[0]).toEqual([...ROPA_CSV_COLUMNS]);
      expect(rows.slice(1).every((r) => r.length === ROPA_CSV_COLUMNS.length)).toBe(true);
      expect(rows.length - 1).toBeGreaterThanOrEqual(m.purposes.length);
    });
  },
);
