/**
 * Rows two people share. A reference without a direction (Fides: followed both ways) takes Alice's request to the
 * shared address, but never from it back down to Bob, who lives there too — access does not show him, erasure does
 * not touch him, and the address is kept whole. The same holds further along: a delivery found from a shared address
 * (a `from` reference) is not Alice's, and a row the shared address names (a `to` reference) stays whole. A row with
 * a composite key is addressed by all of its key, never by one part another person's row shares. (Found in review:
 * the walk back down leaked and erased Bob's rows; a composite key's first field alone addressed Bob's mark.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAccess } from "../../src/engine/run-request.ts";
import { dropShops, erase, type Shop, shop } from "./sqlite-shop.ts";

afterAll(dropShops);

describe("a row two people share", () => {
  let s: Shop;
  beforeAll(async () => {
    s = await shop(
      `      - name: address
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: street, data_categories: [user.contact.address.street] }
      - name: customer
        fields:
          - { name: id, data_categories: [user.unique_id], fides_meta: { primary_key: true } }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
          - { name: name, data_categories: [user.name] }
          - { name: address_id, data_categories: [system.operations], fides_meta: { references: [{ dataset: shop, field: address.id }] } }
`,
      `CREATE TABLE address (id int PRIMARY KEY, street text);
      CREATE TABLE customer (id int PRIMARY KEY, email text, name text, address_id int);
      INSERT INTO address VALUES (10, 'Main St');
      INSERT INTO customer VALUES (1, 'alice@example.org', 'Alice', 10), (2, 'bob@example.org', 'Bob', 10);`,
    );
  });

  it("access reaches the shared address but not the other person living there", async () => {
    const outcome = await s.run((stores, manifest) =>
      runAccess(manifest, new Map([["email", ["alice@example.org"]]]), stores),
    );
    const customers = outcome.access!.collections.find((c) => c.collection === "shop.customer")!;
    expect(customers.rows.map((r) => r["email"])).toEqual(["alice@example.org"]);
    expect(outcome.collections["shop.address"]!.read).toBe(1);
  });

  it("erasure masks only Alice, and keeps the address Bob still names whole", async () => {
    const outcome = await erase(s, "alice@example.org");
    expect(outcome.proof).toMatchObject({ complete: true });
    expect(s.rows("customer", "id")).toEqual([
      { id: 1, email: null, name: null, address_id: 10 },
      { id: 2, email: "bob@example.org", name: "Bob", address_id: 10 },
    ]);
    expect(s.rows("address")).toEqual([{ id: 10, street: "Main St" }]);
  });
});

describe("rows found from a shared row, and rows it names", () => {
  it("Alice's erasure leaves Bob's delivery to their shared address, and the geo row the address names", async () => {
    // customer.address_id → address (to), deliveries.address_id ← address (from), address.geo_id → geo (to).
    const s = await shop(
      `      - name: geo
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: area, data_categories: [user.location.imprecise] }
      - name: address
        erasure: delete
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: street, data_categories: [user.contact.address.street] }
          - { name: geo_id, data_categories: [system.operations], fides_meta: { references: [{ dataset: shop, field: geo.id, direction: to }] } }
      - name: customer
        erasure: delete
        fields:
          - { name: id, data_categories: [user.unique_id], fides_meta: { primary_key: true } }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
          - { name: address_id, data_categories: [system.operations], fides_meta: { references: [{ dataset: shop, field: address.id, direction: to }] } }
      - name: deliveries
        erasure: delete
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: recipient, data_categories: [user.name] }
          - { name: address_id, data_categories: [system.operations], fides_meta: { references: [{ dataset: shop, field: address.id, direction: from }] } }
`,
      `CREATE TABLE geo (id int PRIMARY KEY, area text);
      CREATE TABLE address (id int PRIMARY KEY, street text, geo_id int REFERENCES geo (id));
      CREATE TABLE customer (id int PRIMARY KEY, email text, address_id int REFERENCES address (id));
      CREATE TABLE deliveries (id int PRIMARY KEY, recipient text, address_id int REFERENCES address (id));
      INSERT INTO geo VALUES (7, 'North');
      INSERT INTO address VALUES (10, 'Main St', 7);
      INSERT INTO customer VALUES (1, 'alice@example.org', 10), (2, 'bob@example.org', 10);
      INSERT INTO deliveries VALUES (100, 'Bob', 10);`,
    );
    const outcome = await erase(s, "alice@example.org");
    expect(outcome.failed).toBeUndefined();
    expect(outcome.proof).toMatchObject({ complete: true });
    expect(s.rows("customer", "id")).toEqual([{ id: 2, email: "bob@example.org", address_id: 10 }]);
    expect(s.rows("deliveries")).toEqual([{ id: 100, recipient: "Bob", address_id: 10 }]);
    expect(s.rows("address")).toEqual([{ id: 10, street: "Main St", geo_id: 7 }]);
    expect(s.rows("geo")).toEqual([{ id: 7, area: "North" }]);
    expect(outcome.collections["shop.deliveries"]).toMatchObject({ read: 0, deleted: 0 });
    expect(outcome.collections["shop.geo"]).toMatchObject({ read: 1, deleted: 0, masked: 0, kept: 1 });
  });
});

describe("a row with a composite key", () => {
  it("erasing one user leaves another user's mark of the same course untouched", async () => {
    // The key's first field (course_id) alone would name Bob's mark of course 10 too.
    const s = await shop(
      `      - name: marks
        erasure: delete
        fields:
          - { name: course_id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: user_email, data_categories: [user.contact.email], fides_meta: { primary_key: true, identity: email } }
          - { name: grade, data_categories: [user.content] }
      - name: notes
        fields:
          - { name: course_id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: user_email, data_categories: [system.operations], fides_meta: { primary_key: true, identity: email } }
          - { name: note, data_categories: [user.content] }
`,
      `CREATE TABLE marks (course_id int, user_email text, grade text, PRIMARY KEY (course_id, user_email));
      CREATE TABLE notes (course_id int, user_email text, note text, PRIMARY KEY (course_id, user_email));
      INSERT INTO marks VALUES (10, 'alice@example.org', 'A'), (11, 'alice@example.org', 'B'), (10, 'bob@example.org', 'C');
      INSERT INTO notes VALUES (10, 'alice@example.org', 'late'), (10, 'bob@example.org', 'early');`,
    );
    const outcome = await erase(s, "alice@example.org");
    expect(outcome.failed).toBeUndefined();
    expect(outcome.proof).toMatchObject({ complete: true });
    expect(outcome.collections["shop.marks"]).toMatchObject({ deleted: 2 });
    expect(outcome.collections["shop.notes"]).toMatchObject({ read: 1, masked: 1 });
    expect(s.rows("marks")).toEqual([{ course_id: 10, user_email: "bob@example.org", grade: "C" }]);
    expect(s.rows("notes")).toEqual([
      { course_id: 10, user_email: "alice@example.org", note: null },
      { course_id: 10, user_email: "bob@example.org", note: "early" },
    ]);
  });
});
