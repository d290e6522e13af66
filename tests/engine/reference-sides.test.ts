/**
 * Which side of a reference is the child is decided once (src/plan/key-links.ts) and erasure orders by it, on a real
 * database that enforces the keys: `users.id` carries the reference to `marks.user_id` (Fides lets either side carry
 * it), so the marks — which hold the real foreign key — are deleted before the user. (Found in review: erase-order
 * decided the side on its own and put the user first, which SQLite refused.)
 *
 * A collection's reference to itself is a link like any other: a manager found through the subject's `to` reference
 * to them, whom other customers also name as their manager, is kept whole; a subject other customers name as their
 * manager is masked instead of deleted. (Found in review: self-references were no links, so nobody asked who else
 * named the row, and the manager's row went.)
 */
import { afterAll, describe, expect, it } from "vitest";
import { dropShops, erase, shop } from "./sqlite-shop.ts";

afterAll(dropShops);

describe("the side of a reference", () => {
  it("a reference declared on the parent's key to part of a composite key deletes the rows holding the key first", async () => {
    const s = await shop(
      `      - name: users
        erasure: delete
        fields:
          - { name: id, data_categories: [user.unique_id], fides_meta: { primary_key: true, references: [{ dataset: shop, field: marks.user_id, direction: to }] } }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
      - name: marks
        erasure: delete
        fields:
          - { name: user_id, data_categories: [user.unique_id], fides_meta: { primary_key: true } }
          - { name: course, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: grade, data_categories: [user.content] }
`,
      `CREATE TABLE users (id int PRIMARY KEY, email text);
      CREATE TABLE marks (user_id int NOT NULL REFERENCES users (id), course int, grade text, PRIMARY KEY (user_id, course));
      INSERT INTO users VALUES (1, 'alice@example.org'), (2, 'bob@example.org');
      INSERT INTO marks VALUES (1, 10, 'A'), (1, 11, 'B'), (2, 10, 'C');`,
    );
    const outcome = await erase(s, "alice@example.org");
    expect(outcome.failed, outcome.failed?.why).toBeUndefined();
    expect(outcome.proof).toMatchObject({ complete: true });
    expect(outcome.collections["shop.marks"]).toMatchObject({ deleted: 2 });
    expect(outcome.collections["shop.users"]).toMatchObject({ deleted: 1 });
    expect(s.rows("users")).toEqual([{ id: 2, email: "bob@example.org" }]);
    expect(s.rows("marks")).toEqual([{ user_id: 2, course: 10, grade: "C" }]);
  });
});

describe("a collection's reference to itself", () => {
  const CUSTOMERS = `      - name: customer
        erasure: delete
        fields:
          - { name: id, data_categories: [user.unique_id], fides_meta: { primary_key: true } }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
          - { name: name, data_categories: [user.name] }
          - { name: manager_id, data_categories: [system.operations], fides_meta: { references: [{ dataset: shop, field: customer.id, direction: to }] } }
`;
  // Mia manages Alice and Bob; Alice manages Carl.
  const ROWS = `INSERT INTO customer VALUES (3, 'mia@example.org', 'Mia', NULL), (1, 'alice@example.org', 'Alice', 3),
    (2, 'bob@example.org', 'Bob', 3), (4, 'carl@example.org', 'Carl', 1);`;

  for (const [label, table] of [
    ["without a foreign key", "CREATE TABLE customer (id int PRIMARY KEY, email text, name text, manager_id int);"],
    [
      "with a foreign key",
      "CREATE TABLE customer (id int PRIMARY KEY, email text, name text, manager_id int REFERENCES customer (id));",
    ],
  ] as const)
    it(`keeps the manager other customers name whole, and masks the subject others name (${label})`, async () => {
      const s = await shop(CUSTOMERS, `${table}\n${ROWS}`);
      const outcome = await erase(s, "alice@example.org");
      expect(outcome.failed, outcome.failed?.why).toBeUndefined();
      expect(outcome.proof).toMatchObject({ complete: true });
      expect(s.rows("customer", "id")).toEqual([
        { id: 1, email: null, name: null, manager_id: 3 },
        { id: 2, email: "bob@example.org", name: "Bob", manager_id: 3 },
        { id: 3, email: "mia@example.org", name: "Mia", manager_id: null },
        { id: 4, email: "carl@example.org", name: "Carl", manager_id: 1 },
      ]);
      expect(outcome.collections["shop.customer"]).toMatchObject({ read: 2, deleted: 0, masked: 1, kept: 1 });
      expect(outcome.notes["shop.customer"]!.join(" ")).toMatch(/kept whole: rows of shop\.customer that are not/);
    });
});
