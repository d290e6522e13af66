import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { strFromU8, unzipSync } from "fflate";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { art15Facts, type CategoryFacts } from "../../src/access-package/art15-facts.ts";
import { buildAccessPackage } from "../../src/access-package/build-access-package.ts";
import { categoriesFound } from "../../src/access-package/categories-found.ts";
import { formatDataJson } from "../../src/access-package/format-data-json.ts";
import { formatReportHtml } from "../../src/access-package/format-report-html.ts";
import type { Row } from "../../src/connectors/connector.ts";
import type { AccessResult, CollectedCollection, CollectedField } from "../../src/engine/access-result.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Field, Manifest } from "../../src/manifest/types.ts";
import { HAS_CHROMIUM, launchChromium } from "../browser.ts";
import { EXAMPLE_DIR } from "../notice/fixture.ts";
import { parseCsv } from "../records/parse-csv.ts";

const SCRIPT = "<script>alert(1)</script>";
const IMG = '"><img src=x onerror="alert(2)">';
const FORMULA = '=HYPERLINK("http://evil.example","click")';

/** The personal leaf fields of a manifest collection, as the engine reports them ("parent.child" for nested ones). */
function personalFields(fields: readonly Field[], prefix = ""): CollectedField[] {
  return fields.flatMap((f) =>
    f.fields.length > 0
      ? personalFields(f.fields, `${prefix}${f.name}.`)
      : f.data_categories.some((c) => c.startsWith("user"))
        ? [
            {
              name: `${prefix}${f.name}`,
              data_categories: f.data_categories,
              ...(f.description ? { description: f.description } : {}),
            },
          ]
        : [],
  );
}

function collected(m: Manifest, address: string, rows: Row[], only?: string[]): CollectedCollection {
  const [dataset, name] = address.split(".") as [string, string];
  const c = m.datasets.find((d) => d.fides_key === dataset)?.collections.find((x) => x.name === name);
  if (!c) throw new Error(`no collection ${address} in the manifest`);
  const fields = personalFields(c.fields).filter((f) => !only || only.includes(f.name));
  return { collection: address, dataset, name, fields, rows };
}

/** A hand-made result on the example deployment: one learner, with hostile values in what they typed. */
function exampleResult(m: Manifest): AccessResult {
  const clicks = Array.from({ length: 250 }, (_, i) => ({
    user_id: "42",
    device_id: "dev-7",
    ip: "203.0.113.9",
    url: `https://www.coursera.org/learn/ml/lecture/${i}`,
    referrer: null,
    user_agent: "Mozilla/5.0",
    occurred_at: `2025-03-01T10:${String(i % 60).padStart(2, "0")}:00Z`,
  }));
  return {
    kind: "access_result",
    request: "req_01JABCDEF",
    generated_at: "2025-03-12T14:03:09Z",
    identities: ["email"],
    categories: [],
    collections: [
      collected(
        m,
        "learning_app.users",
        [
          {
            id: "42",
            email: "ada@example.com",
            password_hash: "$argon2id$v=19$…",
            first_name: SCRIPT,
            last_name: 'Lovelace, "Countess"\nof Lovelace',
            phone: null,
            mobile_device_id: "dev-7",
            web_cookie_id: "ck-1",
            date_of_birth: "1815-12-10",
            country: "GB",
            language: "en",
            last_login_at: "2025-03-11T08:00:00Z",
          },
        ],
        [
          "id",
          "email",
          "password_hash",
          "first_name",
          "last_name",
          "phone",
          "mobile_device_id",
          "web_cookie_id",
          "date_of_birth",
          "country",
          "language",
          "last_login_at",
        ],
      ),
      collected(m, "learning_app.profiles", [
        {
          user_id: "42",
          display_name: "Ada L.",
          headline: FORMULA,
          bio: IMG,
          photo_ref: null,
          city: "Zoë's town",
          timezone: "Europe/London",
          job_title: "Analyst",
          employer: "-12",
          education_level: "masters",
        },
      ]),
      collected(m, "learning_app.third_party_logins", [
        {
          user_id: "42",
          provider: "google",
          external_id: "g-1",
          profile_payload: { name: "Ada", picture: "https://example.com/a.png", email: "ada@example.com" },
        },
        { user_id: "42", provider: "apple", external_id: "a-1", profile_payload: { name: "Ada" } },
      ]),
      collected(m, "learning_app.enrollments", [
        {
          user_id: "42",
          course_id: "7",
          degree_program_id: null,
          for_credit: false,
          enrolled_at: "2025-01-02T09:00:00Z",
        },
        {
          user_id: "42",
          course_id: "9",
          degree_program_id: "3",
          for_credit: true,
          enrolled_at: "2025-02-02T09:00:00Z",
        },
      ]),
      collected(m, "learning_analytics.clickstream_events", clicks),
      collected(m, "learning_app.forum_posts", []),
    ],
    unreached: [{ collection: "learning_app.session_replays", why: `the replay vendor did not answer ${SCRIPT}` }],
  };
}

const unzip = (zip: Uint8Array): Record<string, string> =>
  Object.fromEntries(Object.entries(unzipSync(zip)).map(([k, v]) => [k, strFromU8(v)]));

let manifest: Manifest;
let result: AccessResult;
let zip: Uint8Array;
let files: Record<string, string>;

beforeAll(async () => {
  manifest = await loadManifestDir(EXAMPLE_DIR);
  result = exampleResult(manifest);
  zip = await buildAccessPackage(manifest, result);
  files = unzip(zip);
});

describe("art15Facts on the example manifest", () => {
  const facts = (category: string, where: string[] = []): CategoryFacts =>
    art15Facts(manifest, [category], new Map([[category, where]]))[0]!;

  it("gives users.email's category its purposes, legal bases, recipients, retention and sources", () => {
    const email = facts("user.contact.email", ["learning_app.users"]);
    expect(email.name).toBe(manifest.taxonomy.data_categories.get("user.contact.email")!.name);
    const purposes = Object.fromEntries(email.purposes.map((p) => [p.key, p.legal_basis]));
    expect(purposes).toMatchObject({
      provide_platform: "contract",
      technical_support_and_security: "legitimate_interests",
    });
    expect(email.purposes.every((p) => p.description.length > 0)).toBe(true);
    const stripe = email.recipients.find((r) => r.key === "stripe");
    expect(stripe).toMatchObject({ name: "Stripe", kind: "processor", countries: ["US"], third_countries: ["US"] });
    expect(stripe!.transfer_mechanisms).toContain("eu_us_dpf");
    expect(email.recipients.some((r) => r.kind === "internal")).toBe(false);
    expect(email.retention.map((r) => r.key)).toContain("account_and_profile");
    expect(email.retention.find((r) => r.key === "account_and_profile")!.how_long).toBe(
      "while the account exists and 30 days after it is closed, then deleted",
    );
    expect(email.sources.map((s) => s.key)).toContain("account_registration");
  });

  it("keeps only the retention rules that apply where the category was found", () => {
    const inProfiles = facts("user.education", ["learning_app.profiles"]).retention.map((r) => r.key);
    expect(inProfiles).toContain("account_and_profile");
    expect(inProfiles).not.toContain("learning_records");
    const inEnrollments = facts("user.education.enrollment", ["learning_app.enrollments"]).retention.map((r) => r.key);
    expect(inEnrollments).toEqual(expect.arrayContaining(["learning_records", "for_credit_records"]));
    expect(inEnrollments).not.toContain("account_and_profile");
  });

  it("gives a recipient a category only when the system receives it", () => {
    // The payments purpose names Stripe and covers user.name; Stripe does not receive the date of birth.
    const dob = facts("user.demographic.date_of_birth", ["learning_app.users"]);
    expect(dob.recipients.map((r) => r.key)).not.toContain("stripe");
    expect(facts("user.name.first").recipients.map((r) => r.key)).toContain("stripe");
  });

  it("names an unknown category by its key and declares nothing about it", () => {
    expect(facts("custom.nonexistent")).toMatchObject({
      name: "custom.nonexistent",
      purposes: [],
      recipients: [],
      retention: [],
      sources: [],
    });
  });
});

describe("the access package of a hand-made result on the example manifest", () => {
  it("holds the report, data.json and one CSV per collection with rows, in that order", () => {
    expect(Object.keys(files)).toEqual([
      "report.html",
      "data.json",
      "csv/learning_app.users.csv",
      "csv/learning_app.profiles.csv",
      "csv/learning_app.third_party_logins.csv",
      "csv/learning_app.enrollments.csv",
      "csv/learning_analytics.clickstream_events.csv",
    ]);
  });

  it("is the same bytes every time, in any time zone, with a fixed time on every entry", async () => {
    const tz = process.env["TZ"];
    try {
      process.env["TZ"] = "Pacific/Chatham";
      const again = await buildAccessPackage(manifest, result);
      process.env["TZ"] = "America/Los_Angeles";
      const third = await buildAccessPackage(manifest, exampleResult(manifest));
      const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
      expect(sha(again)).toBe(sha(zip));
      expect(sha(third)).toBe(sha(zip));
    } finally {
      if (tz === undefined) delete process.env["TZ"];
      else process.env["TZ"] = tz;
    }
    // Every local header: DOS time 00:00:00, date 1980-01-01 ((0 << 9) | (1 << 5) | 1).
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    let headers = 0;
    for (let i = 0; i + 30 <= zip.length; i++)
      if (view.getUint32(i, true) === 0x04034b50) {
        expect([view.getUint16(i + 10, true), view.getUint16(i + 12, true)]).toEqual([0, 0x21]);
        headers++;
      }
    expect(headers).toBe(Object.keys(files).length);
  });

  it("data.json holds the request, every row as stored in field order, and the facts per category", () => {
    const data = JSON.parse(files["data.json"]!);
    expect(Object.keys(data)).toEqual([
      "format",
      "request",
      "generated_at",
      "controller",
      "limited_to_categories",
      "collections",
      "unreached",
      "categories",
    ]);
    expect(data).toMatchObject({ request: "req_01JABCDEF", generated_at: "2025-03-12T14:03:09Z" });
    expect(data.controller).toMatchObject({ name: "Coursera", contact_email: "privacy@coursera.org", dpo: null });
    const users = data.collections[0];
    expect(Object.keys(users.rows[0])).toEqual(users.fields.map((f: { name: string }) => f.name));
    expect(users.rows[0].first_name).toBe(SCRIPT);
    expect(data.collections[1].rows[0].headline).toBe(FORMULA);
    expect(data.collections[2].rows[0].profile_payload).toEqual({
      email: "ada@example.com",
      name: "Ada",
      picture: "https://example.com/a.png",
    });
    expect(Object.keys(data.collections[2].rows[0].profile_payload)).toEqual(["email", "name", "picture"]);
    expect(data.collections[4].rows).toHaveLength(250);
    expect(data.collections[5]).toMatchObject({ collection: "learning_app.forum_posts", rows: [] });
    const email = data.categories.find((c: CategoryFacts) => c.category === "user.contact.email");
    expect(email.found_in).toEqual(["learning_app.users", "learning_app.third_party_logins"]);
    expect(email.purposes.length).toBeGreaterThan(0);
    // Only categories with a value somewhere: the phone is null on the one row that has the field.
    const keys = data.categories.map((c: CategoryFacts) => c.category);
    expect(keys).not.toContain("user.contact.phone_number");
    expect(keys).toContain("user.contact.address.city");
    expect(keys.every((k: string) => k.startsWith("user."))).toBe(true);
  });

  it("data.json and report.html from the facts' kept text are the bytes of writing everything afresh", () => {
    // The facts' JSON is spliced in as text, and the report's sections about them are kept per set of facts: both
    // must give exactly what one JSON.stringify of the whole document, and a report of unshared facts, give.
    const text = files["data.json"]!;
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    const found = categoriesFound(result);
    const kept = art15Facts(manifest, [...found.keys()], found);
    expect(kept.every((c) => Object.isFrozen(c))).toBe(true);
    const fresh = kept.map((c) => structuredClone(c) as CategoryFacts);
    expect(formatDataJson(manifest, result, kept)).toBe(formatDataJson(manifest, result, fresh));
    expect(formatReportHtml(manifest, result, kept)).toBe(formatReportHtml(manifest, result, fresh));
    // Two people with other kinds of data, in turn: each page is what an unshared rendering of theirs gives.
    const fewer = { ...result, collections: result.collections.slice(0, 2) };
    for (const r of [fewer, result, fewer]) {
      const where = categoriesFound(r);
      const facts = art15Facts(manifest, [...where.keys()], where);
      const own = facts.map((c) => structuredClone(c) as CategoryFacts);
      expect(formatReportHtml(manifest, r, facts)).toBe(formatReportHtml(manifest, r, own));
      expect(formatDataJson(manifest, r, facts)).toBe(formatDataJson(manifest, r, own));
    }
    expect(formatReportHtml(manifest, fewer, art15Facts(manifest, [...categoriesFound(fewer).keys()]))).not.toBe(
      formatReportHtml(manifest, result, kept),
    );
    const empty = { ...result, collections: [] };
    expect(JSON.parse(formatDataJson(manifest, empty, [])).categories).toEqual([]);
    expect(formatReportHtml(manifest, empty, [])).toContain("We found no personal data about you");
  });

  it("CSV: RFC 4180, header of field names, UTF-8 without BOM, formulas defused, numbers kept", () => {
    const raw = unzipSync(zip)["csv/learning_app.profiles.csv"]!;
    expect([...raw.slice(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    const [header, row] = parseCsv(strFromU8(raw));
    const cell = (name: string) => row![header!.indexOf(name)];
    expect(header).toEqual(result.collections[1]!.fields.map((f) => f.name));
    expect(cell("headline")).toBe(`'${FORMULA}`);
    expect(cell("employer")).toBe("-12");
    expect(cell("bio")).toBe(IMG);
    expect(cell("city")).toBe("Zoë's town");
    expect(cell("photo_ref")).toBe("");
    const users = parseCsv(files["csv/learning_app.users.csv"]!);
    expect(users[1]![users[0]!.indexOf("last_name")]).toBe('Lovelace, "Countess"\nof Lovelace');
    const logins = parseCsv(files["csv/learning_app.third_party_logins.csv"]!);
    expect(logins[1]![logins[0]!.indexOf("profile_payload")]).toBe(
      '{"email":"ada@example.com","name":"Ada","picture":"https://example.com/a.png"}',
    );
    expect(parseCsv(files["csv/learning_analytics.clickstream_events.csv"]!)).toHaveLength(251);
  });

  it("report.html escapes every value and loads nothing from outside", () => {
    const html = files["report.html"]!;
    // No element that runs or loads anything, and no event-handler attribute inside any tag.
    expect(html).not.toMatch(/<(script|img|link|iframe|object|embed|svg)\b/i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&quot;&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
    expect(html).toContain("This page shows the first 100 of 250 records");
    expect(html).toContain("We also searched Forum posts and found nothing about you there.");
  });
});

describe("a package from bare Fides datasets (no organization, no purposes)", () => {
  let dir: string;
  let bare: { files: Record<string, string> };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "steward-bare-"));
    await writeFile(
      join(dir, "shop.yml"),
      `dataset:
  - fides_key: shop
    collections:
      - name: members
        fields:
          - name: id
            data_categories: [user.unique_id]
            fides_meta: { primary_key: true }
          - name: email
            data_categories: [user.contact.email]
            fides_meta: { identity: email }
          - name: postal
            fields:
              - name: city
                data_categories: [user.contact.address.city]
`,
    );
    const m = await loadManifestDir(dir);
    const r: AccessResult = {
      kind: "access_result",
      request: "req_bare",
      generated_at: "2025-06-01T00:00:00Z",
      identities: ["email"],
      categories: [],
      collections: [collected(m, "shop.members", [{ id: 1, email: "b@example.com", "postal.city": "Oslo" }])],
      unreached: [],
    };
    bare = { files: unzip(await buildAccessPackage(m, r)) };
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("still holds the data and says what the records do not declare", () => {
    const data = JSON.parse(bare.files["data.json"]!);
    expect(data.controller).toBeNull();
    expect(data.collections[0].rows).toEqual([{ id: 1, email: "b@example.com", "postal.city": "Oslo" }]);
    expect(data.categories.map((c: CategoryFacts) => [c.category, c.purposes.length])).toEqual([
      ["user.unique_id", 0],
      ["user.contact.email", 0],
      ["user.contact.address.city", 0],
    ]);
    const html = bare.files["report.html"]!;
    expect(html).toContain("do not name the organization responsible for your data");
    expect(html).toContain("Our records do not declare why we use this data.");
    expect(html).toContain("Our records name no authority");
    expect(html).toContain("Oslo");
    expect(bare.files["csv/shop.members.csv"]).toBe("id,email,postal.city\r\n1,b@example.com,Oslo\r\n");
  });
});

describe.skipIf(!HAS_CHROMIUM)(
  `report.html in a real browser${HAS_CHROMIUM ? "" : " — SKIPPED: /usr/bin/chromium is missing (apt-get install -y chromium)"}`,
  () => {
    let browser: Browser;
    let dir: string;
    let url: string;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "steward-access-"));
      const file = join(dir, "report.html");
      await writeFile(file, files["report.html"]!);
      url = pathToFileURL(file).href;
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it("renders its headings and tables, shows hostile values as text, runs nothing and loads nothing", async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      const problems: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      page.on("dialog", (d) => problems.push(`dialog: ${d.message()}`));
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(url);

      expect(await page.title()).toBe("Your personal data — Coursera");
      expect(await page.locator("h1").textContent()).toBe("Your personal data");
      expect(await page.locator("main h2").allTextContents()).toEqual([
        "In short",
        "Who holds your data",
        "The data we hold about you",
        "Each kind of your data",
        "Why we use your data",
        "Who receives your data",
        "Where we could not search",
        "Your rights and how to complain",
      ]);
      expect(await page.locator("section.collection h3").allTextContents()).toEqual([
        "Users",
        "Profiles",
        "Third party logins",
        "Enrollments",
        "Clickstream events",
      ]);
      // One record reads as item / value / meaning; several as a table with a row per record (first 100 shown).
      const users = page.locator("#data--learning_app-users table.record");
      expect(await users.locator("tbody tr").count()).toBe(12);
      const firstName = users.locator("tbody tr", { hasText: "First name" }).locator("td").first();
      expect(await firstName.textContent()).toBe(SCRIPT);
      expect(await page.locator("#data--learning_app-profiles td", { hasText: "onerror" }).textContent()).toBe(IMG);
      expect(await page.locator("#data--learning_analytics-clickstream_events table.rows tbody tr").count()).toBe(100);
      expect(await page.locator("#category--user-contact-email h3").textContent()).toBe(
        manifest.taxonomy.data_categories.get("user.contact.email")!.name,
      );
      const emailFacts = await page.locator("#category--user-contact-email dt").allTextContents();
      expect(emailFacts).toEqual([
        "What we use it for, and the legal basis",
        "Who receives it",
        "How long we keep it",
        "Where it came from",
      ]);
      // Categories the manifest says the same about share a block, and each keeps its anchor.
      expect(await page.locator("#category--user-name-first h3").textContent()).toBe("First Name, Last Name and Name");
      const broken = await page.evaluate<string[]>(
        `[...document.querySelectorAll("a[href^='#']")].map((a) => a.getAttribute("href").slice(1))
          .filter((id) => !document.getElementById(id))`,
      );
      expect(broken).toEqual([]);
      // The legal basis is in words, with its article.
      expect(await page.locator("#purpose--provide_platform dd").first().textContent()).toMatch(
        /^Contract: we need the data .* \(GDPR Art\. 6\(1\)\(b\)\)\.$/,
      );
      expect(await page.evaluate<number>("document.querySelectorAll('script, img, iframe, object').length")).toBe(0);
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);

      await page.screenshot({ path: "/tmp/access-report.png", fullPage: false });
      await page.locator("#data--learning_app-third_party_logins").scrollIntoViewIfNeeded();
      await page.screenshot({ path: "/tmp/access-report-data.png" });
      await page.locator("#category--user-contact-email").scrollIntoViewIfNeeded();
      await page.screenshot({ path: "/tmp/access-report-category.png" });
      await page.close();
    });

    it("fits a phone's width (wide tables scroll inside their box)", async () => {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(url);
      const overflow = await page.evaluate<number>(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
      );
      expect(overflow).toBe(0);
      await page.screenshot({ path: "/tmp/access-report-phone.png" });
      await page.close();
    });
  },
);
