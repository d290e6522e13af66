import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { buildPlan } from "../../src/plan/build-plan.ts";
import { explainPlan, planToDot } from "../../src/plan/explain-plan.ts";
import { keyLinks } from "../../src/plan/key-links.ts";
import { steward } from "../cli/run-cli.ts";
import { BASE, load } from "../manifest/helpers.ts";

const example = join(import.meta.dirname, "..", "..", "examples", "learning-platform");
const at = (plan: ReturnType<typeof buildPlan>, address: string) =>
  plan.steps.findIndex((s) => s.collection === address);

describe("buildPlan (pure)", () => {
  const manifest = load(BASE);

  it("seeds from the identity type and follows references; the plan is plain data without identity values", () => {
    const plan = buildPlan(manifest, { action: "access", identities: ["email"] });
    expect(plan.steps.map((s) => [s.collection, s.lookups])).toEqual([
      ["app.users", [{ kind: "lookup", field: "email", source: { kind: "identity", identity: "email" } }]],
      [
        "app.posts",
        [{ kind: "lookup", field: "user_id", source: { kind: "field", collection: "app.users", field: "id" } }],
      ],
    ]);
    expect(plan.steps[1]!.read).toEqual(["user_id", "body"]);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it("erases children before parents, masks by default, and keeps primary keys", () => {
    const plan = buildPlan(manifest, { action: "erasure", identities: ["email"] });
    expect(plan.steps.map((s) => s.collection)).toEqual(["app.posts", "app.users"]);
    expect(plan.steps[0]!.treatment).toMatchObject({
      kind: "mask_fields",
      fields: [
        { field: "user_id", strategy: "null" },
        { field: "body", strategy: "null" },
      ],
    });
    expect(plan.steps[1]!.treatment).toMatchObject({
      kind: "mask_fields",
      fields: [
        { kind: "retain", field: "id" },
        { kind: "mask", field: "email" },
      ],
    });
  });

  it("lists personal data the identities cannot reach, and filters access by category", () => {
    const plan = buildPlan(manifest, { action: "access", identities: ["phone_number"] });
    expect(plan.steps).toEqual([]);
    expect(plan.unreached).toEqual(["app.users", "app.posts"]);
    const contact = buildPlan(manifest, { action: "access", identities: ["email"], categories: ["user.contact"] });
    expect(contact.steps.map((s) => s.read)).toEqual([["email"], []]);
  });

  it("reports a foreign-key cycle instead of looping, and honours erase_after as an override", () => {
    const cyclic = load({
      "d.yml": `dataset:
  - fides_key: c
    collections:
      - name: a
        fields:
          - {name: id, data_categories: [user.unique_id], fides_meta: {primary_key: true}}
          - {name: email, data_categories: [user.contact.email], fides_meta: {identity: email}}
          - {name: b_id, data_categories: [system.operations], fides_meta: {references: [{dataset: c, field: b.id, direction: to}]}}
      - name: b
        fields:
          - {name: id, data_categories: [system.operations], fides_meta: {primary_key: true}}
          - {name: a_id, data_categories: [user.unique_id], fides_meta: {references: [{dataset: c, field: a.id, direction: from}]}}
`,
    });
    const plan = buildPlan(cyclic, { action: "erasure", identities: ["email"] });
    expect(plan.cycles).toEqual([["c.a", "c.b"]]);
    expect(plan.steps.map((s) => s.collection).sort()).toEqual(["c.a", "c.b"]);

    const override = load({
      ...BASE,
      "datasets/app.yml": BASE["datasets/app.yml"].replace(
        "      - name: posts\n",
        "      - name: posts\n        fides_meta: {erase_after: [app.users]}\n",
      ),
    });
    const reordered = buildPlan(override, { action: "erasure", identities: ["email"] });
    expect(reordered.cycles).toHaveLength(1); // users before posts by hand, posts before users by the key: reported
  });
});

describe("plans on the reference deployment", async () => {
  const manifest = await loadManifestDir(example);
  const erasure = buildPlan(manifest, { action: "erasure", identities: ["email"] });

  it("is made once per manifest and request: the same plan object for an equal request, another for another", () => {
    expect(buildPlan(manifest, { action: "erasure", identities: ["email"] })).toBe(erasure);
    const access = buildPlan(manifest, { action: "access", identities: ["email"] });
    expect(access).not.toBe(erasure);
    expect(access.action).toBe("access");
    expect(buildPlan(manifest, { action: "access", identities: ["email"], categories: ["user.contact"] })).not.toBe(
      access,
    );
    // Another manifest (here: the same files loaded again) has plans of its own.
    const other = { ...manifest };
    expect(buildPlan(other, { action: "erasure", identities: ["email"] })).not.toBe(erasure);
    expect(buildPlan(other, { action: "erasure", identities: ["email"] })).toEqual(erasure);
  });

  it("erases every child before the parent its foreign key points to", () => {
    expect(erasure.cycles).toEqual([]);
    for (const d of manifest.datasets)
      for (const c of d.collections)
        for (const f of c.fields)
          for (const r of f.references) {
            const child = at(erasure, `${d.fides_key}.${c.name}`);
            const parent = at(erasure, `${r.dataset}.${r.field.split(".")[0]}`);
            if (child >= 0 && parent >= 0 && r.field.endsWith(".id") && !f.primary_key)
              expect(child).toBeLessThan(parent);
          }
    // The account row is the last personal row erased in its own database (only catalogue rows, read to follow
    // references, may come after it); processors reached by e-mail do not depend on it.
    const personal = erasure.steps.filter(
      (s) => s.dataset === "learning_app" && s.treatment?.kind !== "no_personal_data",
    );
    expect(personal.at(-1)!.collection).toBe("learning_app.users");
  });

  it("never follows a link into another person's rows (lecture views, peer reviews of someone else's submission)", () => {
    const sources = erasure.steps.flatMap((s) =>
      s.lookups.map(
        (l) =>
          `${s.collection} ← ${l.source.kind === "field" ? `${l.source.collection}.${l.source.field}` : l.source.identity}`,
      ),
    );
    expect(sources).not.toContain("learning_analytics.lecture_views ← learning_app.recorded_lectures.id");
    expect(sources).not.toContain("learning_app.lecture_student_contacts ← learning_app.recorded_lectures.id");
    expect(sources).not.toContain("learning_app.assignment_submissions ← learning_app.peer_reviews.submission_id");
    expect(sources).toContain("learning_app.peer_reviews ← learning_app.users.id");
  });

  it("shows the manifest's decisions: for-credit enrolments exempt, forum posts kept without their author", () => {
    const enrollments = erasure.steps.find((s) => s.collection === "learning_app.enrollments")!;
    expect(enrollments.exemptions).toEqual([
      expect.objectContaining({ exemption: "for_credit_records", where: { for_credit: true } }),
    ]);
    const forum = erasure.steps.find((s) => s.collection === "learning_app.forum_posts")!;
    expect(forum.treatment).toMatchObject({
      kind: "mask_fields",
      fields: expect.arrayContaining([expect.objectContaining({ kind: "mask", field: "author_id", strategy: "null" })]),
    });
    expect(explainPlan(erasure)).toContain("exemption for_credit_records where for_credit = true");
    expect(planToDot(erasure)).toMatch(/^digraph plan \{/);
  });

  it("expands identities found on the person's own account row, with their provenance, and never others", () => {
    const access = buildPlan(manifest, { action: "access", identities: ["email"] });
    const expansions = access.steps.flatMap((s) =>
      s.lookups
        .filter((l) => l.source.kind === "expansion")
        .map((l) => `${s.collection}.${l.field} ← ${JSON.stringify(l.source)}`),
    );
    expect(expansions.sort()).toEqual([
      `learning_analytics.clickstream_events.device_id ← {"kind":"expansion","identity":"device_id","collection":"learning_app.users","field":"mobile_device_id"}`,
      `learning_app.session_replays.device_id ← {"kind":"expansion","identity":"device_id","collection":"learning_app.users","field":"mobile_device_id"}`,
    ]);
    // An e-mail a row holds about someone else (a lecture contact's student e-mail) is not marked as an expansion.
    expect(expansions.some((e) => e.includes("student_email"))).toBe(false);
    expect(explainPlan(access)).toContain("(same person's device_id)");
  });

  it("masks only the reviewer's id on reviews found through the reviewer alone", () => {
    const reviews = erasure.steps.find((s) => s.collection === "learning_app.peer_reviews")!;
    expect(reviews.treatment?.kind).toBe("delete_rows");
    expect(reviews.lookups.find((l) => l.field === "reviewer_id")?.only).toMatchObject({
      kind: "mask",
      field: "reviewer_id",
      strategy: "null",
    });
    expect(reviews.lookups.find((l) => l.field === "reviewee_id")?.only).toBeUndefined();
  });

  it("`steward plan` prints text, JSON and DOT, and names the allowed identity types on a bad one", () => {
    const json = steward([
      "plan",
      example,
      "--identity",
      "email=someone@example.com",
      "--action",
      "erasure",
      "--format",
      "json",
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: "plan", action: "erasure", identities: ["email"] });
    expect(json.stdout).not.toContain("someone@example.com");
    const bad = steward(["plan", example, "--identity", "phone=1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('STW_ENGINE_UNKNOWN_IDENTITY: identity type "phone" is not declared by any field');
    expect(bad.stderr).toContain('"phone_number"');
  });
});

describe("references as Fides means them", () => {
  // A shop: customers name their address (`to`), orders their customer (`from`) and their address (`to`); a device
  // session names its device by a UNIQUE token that is not the key; a gift names its recipient (not followed).
  const SHOP = {
    "d.yml": `dataset:
  - fides_key: shop
    collections:
      - name: address
        fields:
          - {name: id, data_categories: [system.operations], fides_meta: {primary_key: true}}
          - {name: street, data_categories: [user.contact.address.street]}
      - name: customer
        fields:
          - {name: id, data_categories: [user.unique_id], fides_meta: {primary_key: true}}
          - {name: email, data_categories: [user.contact.email], fides_meta: {identity: email}}
          - {name: address_id, data_categories: [system.operations], fides_meta: {references: [{dataset: shop, field: address.id, direction: to}]}}
      - name: orders
        fields:
          - {name: id, data_categories: [system.operations], fides_meta: {primary_key: true}}
          - {name: customer_id, data_categories: [user.unique_id], fides_meta: {references: [{dataset: shop, field: customer.id, direction: from}]}}
          - {name: shipping_address_id, data_categories: [system.operations], fides_meta: {references: [{dataset: shop, field: address.id, direction: to}]}}
          - {name: recipient_id, data_categories: [user.unique_id], fides_meta: {references: [{dataset: shop, field: customer.id, direction: to, steward: {follow: false}}]}}
      - name: devices
        fields:
          - {name: id, data_categories: [system.operations], fides_meta: {primary_key: true}}
          - {name: token, data_categories: [user.device.device_id]}
          - {name: customer_id, data_categories: [user.unique_id], fides_meta: {references: [{dataset: shop, field: customer.id, direction: from}]}}
      - name: device_sessions
        fields:
          - {name: device_token, data_categories: [user.device.device_id], fides_meta: {references: [{dataset: shop, field: devices.token, direction: from}]}}
          - {name: ip, data_categories: [user.device.ip_address]}
`,
  };
  const manifest = load(SHOP);
  const sources = (plan: ReturnType<typeof buildPlan>, address: string) =>
    plan.steps
      .find((s) => s.collection === address)!
      .lookups.map(
        (l) =>
          `${l.source.kind === "field" ? `${l.source.collection}.${l.source.field}` : "identity"}${l.toReferenced ? " (to)" : ""}`,
      )
      .sort();

  it("follows `to` references to the rows they name, marked as such, and never a `follow: false` one", () => {
    const plan = buildPlan(manifest, { action: "access", identities: ["email"] });
    expect(sources(plan, "shop.address")).toEqual([
      "shop.customer.address_id (to)",
      "shop.orders.shipping_address_id (to)",
    ]);
    expect(sources(plan, "shop.orders")).toEqual(["shop.customer.id"]);
    expect(sources(plan, "shop.customer")).toEqual(["identity"]);
    expect(sources(plan, "shop.device_sessions")).toEqual(["shop.devices.token"]);
    expect(plan.unreached).toEqual([]);
  });

  it("erases the holder of every reference before the rows it names, whatever column it names", () => {
    const plan = buildPlan(manifest, { action: "erasure", identities: ["email"] });
    const order = plan.steps.map((s) => s.collection);
    const goesFirst = (a: string, b: string) =>
      expect(order.indexOf(`shop.${a}`)).toBeLessThan(order.indexOf(`shop.${b}`));
    goesFirst("device_sessions", "devices"); // a UNIQUE token, not the key
    goesFirst("orders", "customer"); // also through recipient_id, which is not followed
    goesFirst("orders", "address");
    goesFirst("customer", "address");
    goesFirst("devices", "customer");
    expect(plan.cycles).toEqual([]);
    expect(explainPlan(plan)).toMatch(/rows named by other people's rows too are kept whole/);
  });
});

describe("erasure order and key links agree", () => {
  // users.id carries the reference to marks.user_id (Fides lets either side carry it): marks hold the key, so they
  // go first, though marks.user_id is one part of a composite key. marks.course_code, another part, names a course by
  // its UNIQUE code: marks hold that reference too and go before the course. (erase-order once decided the side on
  // its own, from per-field primary-key flags, and put users before marks; key-links took a composite key's last
  // part for the whole key and made courses the child.)
  const manifest = load({
    "d.yml": `dataset:
  - fides_key: s
    collections:
      - name: users
        fields:
          - {name: id, data_categories: [user.unique_id], fides_meta: {primary_key: true, references: [{dataset: s, field: marks.user_id, direction: to}]}}
          - {name: email, data_categories: [user.contact.email], fides_meta: {identity: email}}
      - name: courses
        fields:
          - {name: id, data_categories: [system.operations], fides_meta: {primary_key: true}}
          - {name: code, data_categories: [system.operations]}
          - {name: tutor, data_categories: [user.name]}
      - name: marks
        fields:
          - {name: user_id, data_categories: [user.unique_id], fides_meta: {primary_key: true}}
          - {name: course_code, data_categories: [system.operations], fides_meta: {primary_key: true, references: [{dataset: s, field: courses.code, direction: to}]}}
          - {name: grade, data_categories: [user.content]}
`,
  });

  it("erases the rows that hold a key before the rows it names, as keyLinks says", () => {
    const plan = buildPlan(manifest, { action: "erasure", identities: ["email"] });
    expect(at(plan, "s.marks")).toBeLessThan(at(plan, "s.users"));
    expect(at(plan, "s.marks")).toBeLessThan(at(plan, "s.courses"));
    expect(plan.cycles).toEqual([]);
    const links = keyLinks(manifest).map((l) => `${l.child}.${l.field} → ${l.parent}.${l.parentKey}`);
    expect(links.sort()).toEqual(["s.marks.course_code → s.courses.code", "s.marks.user_id → s.users.id"]);
  });
});
