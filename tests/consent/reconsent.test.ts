/**
 * Consent asked again when the notice widens a purpose: the reference deployment published, a consent given under
 * it, then a new version that makes marketing e-mails use more data — the consent no longer counts
 * (`reconsent_needed`), the switch in the privacy center is off again, and a new consent under the new version counts.
 * Purposes the new version did not widen keep their consent.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordCurrentNotice } from "../../src/api/record-current-notice.ts";
import { switchIsOn } from "../../src/consent/choices.ts";
import { ConsentLedger } from "../../src/consent/consent-ledger.ts";
import { staleConsents } from "../../src/consent/reconsent.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { diffNotice } from "../../src/notice/diff-notice.ts";
import { noticeFacts } from "../../src/notice/notice-facts.ts";
import { KeyedHash } from "../../src/secrets/keyed-hash.ts";
import { Sealer } from "../../src/secrets/seal.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";

const EXAMPLE = new URL("../../examples/learning-platform", import.meta.url).pathname;
const SECRET = { source: "test", bytes: Buffer.alloc(32, 5) };
let dir: string;
let before: Manifest;
let after: Manifest;
let store: Store;

const open = (manifest: Manifest) =>
  ConsentLedger.open({ store, manifest, hash: new KeyedHash(SECRET), sealer: new Sealer(SECRET), listen: false });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "steward-reconsent-"));
  await cp(EXAMPLE, dir, { recursive: true });
  const edit = async (file: string, from: string, to: string) => {
    const text = await readFile(join(dir, file), "utf8");
    if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
    await writeFile(join(dir, file), text.replace(from, to));
  };
  await edit(
    "purposes.yml",
    "data_categories: [user.name, user.contact.email, user.education.enrollment, user.behavior.browsing_history]\n    recipients: [email_delivery]",
    "data_categories: [user.name, user.contact.email, user.education.enrollment, user.behavior.browsing_history, user.location.imprecise]\n    recipients: [email_delivery]",
  );
  await edit(
    "notice.yml",
    '  version: "2025-01-01"\n  effective_date: 2025-01-01',
    '  version: "2026-12-01"\n  effective_date: 2026-12-01',
  );
  before = await loadManifestDir(EXAMPLE);
  after = await loadManifestDir(dir);
  store = await openStore({ inMemory: true });
}, 30_000);

afterAll(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("consent asked again after a wider notice", () => {
  it("voids the consents given under earlier versions to the purposes a version widened, and only those", async () => {
    await recordCurrentNotice(store, before);
    const first = await open(before);
    const subject = "device:reconsent_device_000001";
    for (const purpose of ["marketing_email", "partner_marketing"])
      await first.record({
        subject,
        purpose,
        status: "granted",
        method: "banner",
        jurisdiction: "eea",
        actor: "subject",
      });
    expect(await first.decide(subject, "marketing_email", "eea")).toMatchObject({
      allowed: true,
      code: "consent_given",
    });
    await first.close();

    const published = await recordCurrentNotice(store, after);
    expect(published).toMatchObject({ outcome: "recorded", diff: { material: true } });
    const second = await open(after);
    expect(await second.decide(subject, "marketing_email", "eea")).toMatchObject({
      allowed: false,
      code: "reconsent_needed",
      notice_version: "2025-01-01",
    });
    expect(await second.decide(subject, "partner_marketing", "eea")).toMatchObject({
      allowed: true,
      code: "consent_given",
    });
    const purpose = after.purposes.find((p) => p.key === "marketing_email")!;
    const eea = after.rights.find((r) => r.jurisdiction === "eea");
    expect(switchIsOn(purpose, eea, await second.state(subject), second.stale("marketing_email"))).toBe(false);
    // Where consent is not asked first (an opt-out in the U.S.), nothing is asked again.
    const us = "device:reconsent_device_000002";
    await second.record({
      subject: us,
      purpose: "marketing_email",
      status: "granted",
      method: "banner",
      jurisdiction: "us_ca",
      actor: "subject",
    });
    expect(await second.decide(us, "marketing_email", "us_ca")).toMatchObject({ allowed: true });

    await second.record({
      subject,
      purpose: "marketing_email",
      status: "granted",
      method: "banner",
      jurisdiction: "eea",
      actor: "subject",
    });
    expect(await second.decide(subject, "marketing_email", "eea")).toMatchObject({
      allowed: true,
      code: "consent_given",
      notice_version: "2026-12-01",
    });
    await second.close();
  });

  it("counts a new country outside the EEA for a recipient as widening every purpose it receives data for", () => {
    const moved = noticeFacts(before);
    const to = structuredClone(moved) as typeof moved & { recipients: Record<string, { countries: string[] }> };
    const delivery = to.recipients["email_delivery"];
    if (!delivery) throw new Error("no email_delivery system");
    delivery.countries = [...delivery.countries, "SG"];
    const diff = diffNotice(moved, to);
    const stale = staleConsents(before, [
      { version: "v1", published_at: new Date("2026-01-01"), diff: null },
      { version: "v2", published_at: new Date("2026-06-01"), diff },
    ]);
    expect(stale.get("marketing_email")).toEqual(new Set(["v1"]));
    expect(stale.has("partner_marketing")).toBe(false);
  });
});
