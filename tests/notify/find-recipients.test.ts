/**
 * Whom a notice change concerns, found up key links that name the account by a column that is not its key: a
 * profile names its account by a UNIQUE handle, a post names its profile. (Found in review: the values the last link
 * named — handles — were matched against the accounts' keys, and nobody was found.)
 */
import { afterAll, describe, expect, it } from "vitest";
import { Stores } from "../../src/engine/stores.ts";
import { findRecipients } from "../../src/notify/find-recipients.ts";
import { KeyedHash } from "../../src/secrets/keyed-hash.ts";
import type { Store } from "../../src/store/store.ts";
import { SECRET } from "../consent/consent-fixture.ts";
import { dropShops, shop } from "../engine/sqlite-shop.ts";

afterAll(dropShops);

describe("recipients found up key links", () => {
  it("follows a link to the account's UNIQUE handle, directly and through another collection", async () => {
    const s = await shop(
      `      - name: users
        fields:
          - { name: id, data_categories: [user.unique_id], fides_meta: { primary_key: true, identity: user_id } }
          - { name: handle, data_categories: [user.name] }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
          - { name: closed_at, data_categories: [system.operations] }
      - name: profiles
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: user_handle, data_categories: [user.name], fides_meta: { references: [{ dataset: shop, field: users.handle, direction: from }] } }
          - { name: bio, data_categories: [user.demographic] }
      - name: posts
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: profile_id, data_categories: [system.operations], fides_meta: { references: [{ dataset: shop, field: profiles.id, direction: from }] } }
          - { name: body, data_categories: [user.content] }
`,
      `CREATE TABLE users (id int PRIMARY KEY, handle text UNIQUE, email text, closed_at text);
      CREATE TABLE profiles (id int PRIMARY KEY, user_handle text REFERENCES users (handle), bio text);
      CREATE TABLE posts (id int PRIMARY KEY, profile_id int REFERENCES profiles (id), body text);
      INSERT INTO users VALUES (1, 'ada', 'ada@example.org', NULL), (2, 'bob', 'bob@example.org', NULL),
        (3, 'cy', 'cy@example.org', NULL);
      INSERT INTO profiles VALUES (10, 'ada', 'likes maths'), (20, 'bob', 'likes tea');
      INSERT INTO posts VALUES (100, 20, 'hello');`,
      "account:\n  collection: shop.users\n  closed_at: closed_at\n",
    );
    const stores = new Stores(s.manifest, { connections: { shop: s.url } });
    const hash = new KeyedHash(SECRET);
    const find = (categories: string[]) =>
      findRecipients(
        { manifest: s.manifest, stores, store: {} as Store, hash },
        {
          everyone: false,
          purposes: [],
          categories,
          collections: [],
          changes: [],
        },
      );
    try {
      const demographic = await find(["user.demographic"]);
      expect(demographic.scope.read).toMatchObject({ "shop.profiles": "via users" });
      expect(demographic.recipients.map((r) => r.address).sort()).toEqual(["ada@example.org", "bob@example.org"]);
      const content = await find(["user.content"]);
      expect(content.scope.read).toMatchObject({ "shop.posts": "via profiles → users" });
      expect(content.recipients.map((r) => r.address)).toEqual(["bob@example.org"]);
    } finally {
      await stores.closeAll();
    }
  });
});
