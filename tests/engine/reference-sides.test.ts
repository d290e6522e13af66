/**
 * Which side of a reference is the child is decided once (src/plan/key-links.ts) and erasure orders by it, on a real
 * database that enforces the keys: `users.id` carries the reference to `marks.user_id` (Fides lets either side carry
 * it), so the marks — which hold the real foreign key — are deleted before the user. (Found in review: erase-order
 * decided the side on its own and put the user first, which SQLite refused.)
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
