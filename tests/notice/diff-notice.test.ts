/**
 * The notice diff on the reference deployment: the example against itself (nothing), and against a copy changed the
 * way a company changes its notice — a new purpose on consent, a new recipient in a third country, a shorter
 * retention, a basis moved to legitimate interests, a right taken away — each change found, classed, and the reason
 * given; then `steward notice diff` prints it and exits 1 for a material change.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/api/build-server.ts";
import { recordCurrentNotice } from "../../src/api/record-current-notice.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { ENGLISH, translator } from "../../src/i18n/translate.ts";
import { diffNotice, sayChange, upcomingMaterialChange } from "../../src/notice/diff-notice.ts";
import { noticeFacts } from "../../src/notice/notice-facts.ts";
import { openStore } from "../../src/store/open-store.ts";
import { listNoticeVersions } from "../../src/store/sql/list-notice-versions.ts";
import { historyPage } from "../../src/web/center/history-page.ts";
import { homePage } from "../../src/web/center/home-page.ts";
import { steward } from "../cli/run-cli.ts";

const EXAMPLE = new URL("../../examples/learning-platform", import.meta.url).pathname;
let changed: string;

/** Replaces `from` by `to` in a file of the copy, failing when `from` is not there. */
async function edit(file: string, from: string, to: string) {
  const path = join(changed, file);
  const text = await readFile(path, "utf8");
  if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
  await writeFile(path, text.replace(from, to));
}

beforeAll(async () => {
  changed = await mkdtemp(join(tmpdir(), "steward-notice-"));
  await cp(EXAMPLE, changed, { recursive: true });
  await edit(
    "purposes.yml",
    "  - key: surveys\n",
    [
      "  - key: learner_podcasts",
      "    name: Learner podcasts",
      "    description: Record short interviews with learners who agree, and publish them as podcasts.",
      "    data_use: marketing.communications",
      "    legal_basis: consent",
      "    consent: { default: opt_in }",
      "    data_subjects: [learner]",
      "    data_categories: [user.name, user.content.public]",
      "    recipients: [podcast_host]",
      "",
      "  - key: surveys",
      "",
    ].join("\n"),
  );
  await edit(
    "systems.yml",
    "  - key: fullstory\n",
    [
      "  - key: podcast_host",
      "    name: Podcast host",
      "    kind: processor",
      "    description: Hosts and streams the podcast episodes.",
      "    countries: [SG]",
      "    transfer_mechanisms: [sccs]",
      "    data_categories: [user.name, user.content.public]",
      "    dpa: https://podcasts.example/dpa",
      "",
      "  - key: fullstory",
      "",
    ].join("\n"),
  );
  await edit(
    "retention.yml",
    "    period: P13M\n    from: occurred_at\n    schedule",
    "    period: P6M\n    from: occurred_at\n    schedule",
  );
  await edit(
    "purposes.yml",
    "    legal_basis: consent\n    consent: { default: opt_in }\n    data_subjects: [learner]\n    data_categories: [user.demographic, user.content.private]",
    "    legal_basis: legitimate_interests\n    legitimate_interest:\n      interest: better courses.\n      necessity: Answers are the material.\n      balancing: Optional and short.\n      safeguards: [Answers are aggregated.]\n      assessed_on: 2026-11-01\n    consent: { default: opt_out }\n    data_subjects: [learner]\n    data_categories: [user.demographic, user.content.private]",
  );
  await edit(
    "notice.yml",
    '  version: "2025-01-01"\n  effective_date: 2025-01-01',
    '  version: "2026-12-01"\n  effective_date: 2026-12-01',
  );
}, 30_000);

afterAll(async () => {
  await rm(changed, { recursive: true, force: true });
});

describe("the notice diff", () => {
  it("finds nothing between a manifest and itself", async () => {
    const m = await loadManifestDir(EXAMPLE);
    expect(diffNotice(noticeFacts(m), noticeFacts(m))).toMatchObject({ material: false, changes: [] });
  });

  it("finds each change, classes it, and gives the reason", async () => {
    const before = noticeFacts(await loadManifestDir(EXAMPLE));
    const after = noticeFacts(await loadManifestDir(changed));
    const diff = diffNotice(before, after);
    const byRule = Object.fromEntries(diff.changes.map((c) => [`${c.area}:${c.key}:${c.rule}`, c.material]));
    expect(byRule).toMatchObject({
      "purpose:learner_podcasts:new_purpose": true,
      "recipient:podcast_host:new_third_country": true,
      "retention:clickstream:shorter_retention": false,
      "purpose:surveys:basis_to_legitimate_interests": true,
      "purpose:surveys:consent_weakened": true,
    });
    expect(diff.material).toBe(true);
    const podcast = diff.changes.find((c) => c.rule === "new_third_country");
    expect(podcast).toMatchObject({ values: ["SG"], reason: expect.stringContaining("outside the EEA") });
    expect(sayChange(ENGLISH, diff.changes.find((c) => c.rule === "shorter_retention")!)).toBe(
      "Raw page-view and click events are deleted 13 months after they happened: kept 6 months from occurred_at (was 13 months from occurred_at).",
    );
    // Every change has words in both catalogues.
    const de = translator("de");
    for (const c of diff.changes) {
      expect(sayChange(ENGLISH, c)).not.toMatch(/\{|diff\./);
      expect(sayChange(de, c)).not.toMatch(/\{|diff\./);
    }
  });

  it("is printed by `steward notice diff`, exit code 1 for a material change and 0 for none", async () => {
    const material = steward(["notice", "diff", EXAMPLE, changed]);
    expect(material.code).toBe(1);
    expect(material.stdout).toContain("**material** — New use of data: Learner podcasts.");
    expect(material.stdout).toContain("**not material** —");
    const json = steward(["notice", "diff", EXAMPLE, EXAMPLE, "--format", "json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ material: false, changes: [] });
    const bad = steward(["notice", "diff", EXAMPLE, changed, "--format", "html"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("STW_CLI_BAD_OPTION");
  }, 60_000);

  it("is kept with each published version: the API lists the changes, the privacy center's history says them", async () => {
    const store = await openStore({ inMemory: true });
    try {
      const first = await recordCurrentNotice(store, await loadManifestDir(EXAMPLE));
      expect(first).toMatchObject({ outcome: "recorded", diff: null });
      const next = await loadManifestDir(changed);
      const second = await recordCurrentNotice(store, next);
      expect(second).toMatchObject({ outcome: "recorded", version: "2026-12-01", diff: { material: true } });
      const app = await buildServer({ manifest: next, store, logger: false });
      const res = await app.inject({ url: "/api/notice/versions" });
      const versions = (
        res.json() as {
          versions: { version: string; material: boolean | null; changes: { rule: string; summary: string }[] }[];
        }
      ).versions;
      expect(versions.map((v) => [v.version, v.material])).toEqual([
        ["2026-12-01", true],
        ["2025-01-01", null],
      ]);
      expect(versions[0]?.changes).toContainEqual(
        expect.objectContaining({ rule: "new_purpose", summary: "New use of data: Learner podcasts." }),
      );
      const old = await app.inject({ url: "/notice/versions/2025-01-01" });
      expect(old.statusCode).toBe(200);
      expect(old.headers["content-type"]).toMatch(/^text\/html/);
      expect(old.body).not.toContain("Learner podcasts");
      const current = await app.inject({ url: "/notice/versions/2026-12-01?format=md" });
      expect(current.body).toContain("Learner podcasts");
      const unknown = await app.inject({ url: "/notice/versions/1999-01-01" });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: "STW_NOTICE_VERSION_UNKNOWN" });
      expect(unknown.json().message).toContain("2026-12-01");
      await app.close();
      const page = historyPage(
        { t: translator("de"), manifest: next, rights: next.rights[0]!, url: "/notice/history" },
        next,
        await listNoticeVersions(store.db),
      );
      expect(page).toContain("Neue Nutzung von Daten: Learner podcasts.");
      expect(page).toContain("(wesentlich)");
      expect(page).toContain('<a href="/notice/versions/2026-12-01">Diese Fassung lesen</a>');
      // Announced on the home page until the day it applies, and not after.
      const listed = await listNoticeVersions(store.db);
      expect(upcomingMaterialChange(listed, "2026-12-01")).toBeUndefined();
      const upcoming = upcomingMaterialChange(listed, "2026-11-30");
      expect(upcoming).toMatchObject({ version: "2026-12-01", effective_date: "2026-12-01" });
      const home = homePage({ t: ENGLISH, manifest: next, rights: next.rights[0]!, url: "/" }, upcoming);
      expect(home).toContain("Our privacy notice changes on December 1, 2026");
      expect(home).toContain("<li>New use of data: Learner podcasts.</li>");
      expect(home).not.toContain("Raw page-view");
    } finally {
      await store.close();
    }
  });

  it("is published by `steward notice publish`, which prints the diff and refuses to change a published version", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "steward-publish-"));
    try {
      const first = steward(["notice", "publish", EXAMPLE, "--data-dir", dataDir]);
      expect(first.code).toBe(0);
      expect(first.stderr).toContain("published notice version 2025-01-01");
      const second = steward(["notice", "publish", changed, "--data-dir", dataDir]);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("**material** — New use of data: Learner podcasts.");
      const again = steward(["notice", "publish", changed, "--data-dir", dataDir]);
      expect(again.stderr).toContain("already published notice version 2026-12-01");
      await edit("purposes.yml", "name: Learner podcasts", "name: Learner interviews");
      const taken = steward(["notice", "publish", changed, "--data-dir", dataDir]);
      expect(taken.code).toBe(2);
      expect(taken.stderr).toContain("STW_NOTICE_VERSION_TAKEN");
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
