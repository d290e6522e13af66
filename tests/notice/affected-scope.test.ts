/**
 * Whom a material change concerns, rule by rule, on the reference deployment's facts: a purpose on consent → its
 * consent holders; on another basis → the data it adds; a recipient → per purpose it serves; a retention rule → the
 * collections it names, or a dropped rule's data from the version before; a right removed → everyone; changes that are
 * not material → nobody.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { affectedScope } from "../../src/notice/affected-scope.ts";
import type { NoticeChange, NoticeDiff } from "../../src/notice/diff-notice.ts";
import { MATERIALITY, type MaterialityRuleKey } from "../../src/notice/materiality.ts";
import { type NoticeFacts, noticeFacts } from "../../src/notice/notice-facts.ts";
import { EXAMPLE_DIR } from "./fixture.ts";

let manifest: Manifest;
let facts: NoticeFacts;
beforeAll(async () => {
  manifest = await loadManifestDir(EXAMPLE_DIR);
  facts = noticeFacts(manifest);
});

const change = (c: Omit<NoticeChange, "material" | "reason" | "name">): NoticeChange => ({
  name: c.key,
  material: MATERIALITY[c.rule as MaterialityRuleKey].material,
  reason: MATERIALITY[c.rule as MaterialityRuleKey].reason,
  ...c,
});
const diff = (...changes: NoticeChange[]): NoticeDiff => ({
  from: "a",
  to: "b",
  material: changes.some((c) => c.material),
  changes,
});

describe("affectedScope", () => {
  it("a purpose on consent concerns its consent holders; on another basis, the data it adds", () => {
    const s = affectedScope(
      diff(
        change({
          area: "purpose",
          key: "marketing_email",
          change: "list_added",
          field: "data_categories",
          values: ["user.location.imprecise"],
          rule: "more_data",
        }),
        change({
          area: "purpose",
          key: "session_replay",
          change: "list_added",
          field: "data_categories",
          values: ["user.device.ip_address"],
          rule: "more_data",
        }),
      ),
      facts,
      manifest,
    );
    expect(s).toMatchObject({
      everyone: false,
      purposes: ["marketing_email"],
      categories: ["user.device.ip_address"],
      collections: [],
    });
  });

  it("a recipient's new country concerns, per purpose it serves, that purpose's people and the data it receives", () => {
    const s = affectedScope(
      diff(
        change({
          area: "recipient",
          key: "meta_ads",
          change: "list_added",
          field: "countries",
          values: ["BR"],
          rule: "new_third_country",
        }),
      ),
      facts,
      manifest,
    );
    // meta_ads serves targeted_advertising (consent) only.
    expect(s).toMatchObject({ purposes: ["targeted_advertising"], categories: [] });
    const replay = affectedScope(
      diff(
        change({
          area: "recipient",
          key: "fullstory",
          change: "list_added",
          field: "countries",
          values: ["BR"],
          rule: "new_third_country",
        }),
      ),
      facts,
      manifest,
    );
    // fullstory serves session_replay (legitimate interests) and contractor_disclosure (everything, narrowed to what fullstory receives).
    expect(replay.purposes).toEqual([]);
    expect(replay.categories).toEqual(
      expect.arrayContaining(["user.behavior.browsing_history", "user.device.ip_address", "user.contact.email"]),
    );
    expect(replay.categories).not.toContain("user");
  });

  it("a retention rule concerns the collections it names; a dropped rule, its data as the version before stated it", () => {
    expect(
      affectedScope(
        diff(
          change({ area: "retention", key: "financial_aid_applications", change: "changed", rule: "longer_retention" }),
        ),
        facts,
        manifest,
      ).collections,
    ).toEqual(["learning_app.financial_aid_applications"]);
    const after: NoticeFacts = {
      ...facts,
      retention: Object.fromEntries(Object.entries(facts.retention).filter(([k]) => k !== "consent_records")),
    };
    const without: Manifest = { ...manifest, retention: manifest.retention.filter((r) => r.key !== "consent_records") };
    const dropped = affectedScope(
      diff(change({ area: "retention", key: "consent_records", change: "removed", rule: "retention_removed" })),
      after,
      without,
      facts,
    );
    expect(dropped.categories).toEqual(["user.privacy_preferences"]);
  });

  it("a right removed concerns everyone; changes that are not material concern nobody", () => {
    expect(
      affectedScope(
        diff(
          change({
            area: "rights",
            key: "eea",
            change: "list_removed",
            values: ["portability"],
            rule: "right_removed",
          }),
        ),
        facts,
      ).everyone,
    ).toBe(true);
    const none = affectedScope(
      diff(
        change({ area: "retention", key: "clickstream", change: "changed", rule: "shorter_retention" }),
        change({
          area: "controller",
          key: "organization",
          change: "changed",
          field: "contact_email",
          rule: "controller_details",
        }),
      ),
      facts,
      manifest,
    );
    expect(none).toMatchObject({ everyone: false, purposes: [], categories: [], collections: [], changes: [] });
  });
});
