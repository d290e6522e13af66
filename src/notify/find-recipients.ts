/**
 * The people a material notice change concerns, as mail addresses: account holders with data in an affected category,
 * account holders who consented to an affected purpose, and people outside the accounts whose address an affected
 * collection holds (a newsletter list). Set-based, in pages: the affected collections are read for the keys that lead
 * to an account (a row's own identity, or up its key links — a submission → its enrolment → its user), the consent
 * ledger for the keyed hashes of the current consents, then the accounts once, page by page. Closed accounts are left
 * out (their data is kept only under a retention rule, not for the purposes a notice announces).
 *
 * What cannot be read is reported, not guessed: a processor's collection (an API lists no people), a collection with
 * no identity and no key link to one (device-only data: the SDK's banner reaches those visitors), a store that does
 * not answer. No personal data leaves this module but the addresses it returns.
 */
import { sql } from "kysely";
import type { Connector } from "../connectors/connector.ts";
import type { Stores } from "../engine/stores.ts";
import { isStewardError, type StewardError, stewardError } from "../errors.ts";
import type { Manifest } from "../manifest/types.ts";
import { flattenFields } from "../manifest/validate-references.ts";
import { type AffectedScope, categoriesOverlap } from "../notice/affected-scope.ts";
import { type KeyLink, keyLinks } from "../plan/key-links.ts";
import { normaliseIdentity } from "../requests/subject.ts";
import type { KeyedHash } from "../secrets/keyed-hash.ts";
import type { Store } from "../store/store.ts";

/** What a run read and what it could not, kept with the run (no personal data). */
export interface NotificationScope {
  readonly everyone: boolean;
  readonly purposes: readonly string[];
  readonly categories: readonly string[];
  readonly collections: readonly string[];
  /** `dataset.collection` → how its people were found ("account key", "via enrollments → users", "identity email"). */
  readonly read: Readonly<Record<string, string>>;
  /** `dataset.collection` → why its people could not be found. */
  readonly unread: Readonly<Record<string, string>>;
  /** Current consents to an affected purpose (people, by keyed hash). */
  readonly consents: number;
}

export interface Recipient {
  /** The keyed hash of the normalised address (`hash.subject("email", …)`). */
  readonly hash: string;
  readonly address: string;
  /** Keyed hashes of every identity the person is known by (their account's, or the address alone). */
  readonly subjects: readonly string[];
}

export interface FindOptions {
  /** Rows per page. Default 1000. */
  readonly pageSize?: number;
  /** Called after each page of accounts. */
  readonly progress?: (p: { readonly accounts: number; readonly recipients: number }) => void;
}

interface Ctx {
  readonly manifest: Manifest;
  readonly stores: Stores;
  readonly store: Store;
  readonly hash: KeyedHash;
}

const normaliseAddress = (v: string) => normaliseIdentity("email", v);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function collectionOf(manifest: Manifest, qualified: string) {
  const [dataset = "", name = ""] = qualified.split(".");
  const d = manifest.datasets.find((x) => x.fides_key === dataset);
  const c = d?.collections.find((x) => x.name === name);
  return c ? { dataset, name, collection: c, fields: flattenFields(c.fields) } : undefined;
}

/** The collections that hold data of an affected category (a field's, or the collection's own categories). */
export function affectedCollections(
  manifest: Manifest,
  scope: Pick<AffectedScope, "categories" | "collections">,
): string[] {
  const out: string[] = [...scope.collections];
  const hit = (cats: readonly string[]) => cats.some((c) => scope.categories.some((s) => categoriesOverlap(c, s)));
  for (const d of manifest.datasets)
    for (const c of d.collections) {
      if (c.public) continue;
      const fields = [...flattenFields(c.fields).values()];
      const name = `${d.fides_key}.${c.name}`;
      if (!out.includes(name) && (hit(c.data_categories) || fields.some((f) => hit(f.data_categories)))) out.push(name);
    }
  return out.sort();
}

/**
 * The shortest chain of key links from a collection up to the account collection (none when there is none). A link
 * may name its parent by a column that is not its key (a UNIQUE token): the next step reads the parent's rows by that
 * column, and the accounts are matched by the column the last link names.
 */
function pathToAccount(links: readonly KeyLink[], from: string, account: string): KeyLink[] | undefined {
  const queue: { at: string; path: KeyLink[] }[] = [{ at: from, path: [] }];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const { at, path } = queue.shift()!;
    if (at === account) return path;
    if (path.length >= 4) continue;
    for (const l of links)
      if (l.child === at && !seen.has(l.parent)) {
        seen.add(l.parent);
        queue.push({ at: l.parent, path: [...path, l] });
      }
  }
  return undefined;
}

async function* distinctValues(db: Connector, table: string, column: string, size: number): AsyncGenerator<unknown[]> {
  let after: unknown;
  for (;;) {
    const page = await db.keysWhere(
      table,
      column,
      { notNull: [column] },
      { limit: size, ...(after !== undefined ? { after } : {}) },
    );
    if (page.length === 0) return;
    after = page[page.length - 1];
    yield [...new Set(page)];
    if (page.length < size) return;
  }
}

const codedReason = (e: unknown): string => (isStewardError(e) ? (e as StewardError).code : "an error");

/**
 * Finds the recipients of one change. Returns them with the scope as read; throws STW_NOTIFY_NO_ACCOUNT when the
 * manifest declares no account collection with an e-mail identity (there is nobody to write to).
 */
export async function findRecipients(
  ctx: Ctx,
  scope: AffectedScope,
  options: FindOptions = {},
): Promise<{ scope: NotificationScope; recipients: Recipient[] }> {
  const { manifest, stores, hash } = ctx;
  const size = options.pageSize ?? 1000;
  const accountName = manifest.account?.collection ?? "";
  const account = collectionOf(manifest, accountName);
  const emailField = account ? [...account.fields].find(([, f]) => f.identity === "email")?.[0] : undefined;
  const keyField = account ? [...account.fields].find(([, f]) => f.primary_key) : undefined;
  if (!account || !emailField || !keyField)
    throw stewardError("STW_NOTIFY_NO_ACCOUNT", {
      collection: accountName || "(none)",
      detail: !account
        ? "the manifest declares no `account:` collection"
        : !emailField
          ? "it has no field with `identity: email`"
          : "it has no primary key",
    });
  const [keyName] = keyField;
  const read: Record<string, string> = {};
  const unread: Record<string, string> = {};
  /**
   * Accounts with data in an affected category, by the column of theirs that names them: their key, or the column
   * the last link of a path names (a UNIQUE handle a profile refers to them by).
   */
  const accounts = new Map<string, Set<string>>([[keyName, new Set()]]);
  const accountsBy = (column: string) => {
    const set = accounts.get(column) ?? new Set<string>();
    accounts.set(column, set);
    return set;
  };
  /** Keyed subject hashes (type:value) with data or a consent in scope, matched against each account's identities. */
  const subjects = new Set<string>();
  /** People outside the accounts: an affected collection's own e-mail addresses, by their hash. */
  const direct = new Map<string, string>();
  const links = keyLinks(manifest);

  if (!scope.everyone)
    for (const qualified of affectedCollections(manifest, scope)) {
      const c = collectionOf(manifest, qualified)!;
      if (c.collection.processor_for) {
        unread[qualified] = "a processor's records: its API does not list people";
        continue;
      }
      try {
        const db = await stores.get(c.dataset);
        if (!db.capabilities.supportsConditions) {
          unread[qualified] = `a ${db.kind} store cannot be listed`;
          continue;
        }
        if (qualified === accountName) {
          read[qualified] = "the accounts themselves";
          for await (const page of distinctValues(db, c.name, keyName, size))
            for (const k of page) accountsBy(keyName).add(String(k));
          continue;
        }
        const path = pathToAccount(links, qualified, accountName);
        if (path && path.length > 0) {
          read[qualified] = `via ${path.map((l) => l.parent.split(".")[1]).join(" → ")}`;
          for await (const page of distinctValues(db, c.name, path[0]!.field, size)) {
            let keys = page;
            // Each further link: the rows of its child, found by the key the link before pointed at.
            for (let i = 1; i < path.length; i += 1) {
              const l = path[i]!;
              const child = collectionOf(manifest, l.child)!;
              const cdb = await stores.get(child.dataset);
              const next = new Set<unknown>();
              for await (const rows of cdb.readByKeys(child.name, path[i - 1]!.parentKey, keys, [l.field]))
                for (const r of rows) if (r[l.field] !== null && r[l.field] !== undefined) next.add(r[l.field]);
              keys = [...next];
            }
            // The values the last link names: the accounts' key, or another column of theirs.
            const named = accountsBy(path.at(-1)!.parentKey);
            for (const k of keys) named.add(String(k));
          }
          continue;
        }
        const identities = [...c.fields].filter(([, f]) => f.identity && f.identity !== "device_id");
        if (identities.length === 0) {
          unread[qualified] = "no identity and no key link to the accounts (device-only data: the banner reaches it)";
          continue;
        }
        read[qualified] = `identity ${identities.map(([, f]) => f.identity).join(", ")}`;
        for (const [column, f] of identities) {
          const type = f.identity!;
          for await (const page of distinctValues(db, c.name, column, size))
            for (const v of page) {
              const value = normaliseIdentity(type, String(v));
              const h = hash.subject(type, value);
              subjects.add(h);
              if (type === "email" && EMAIL.test(value)) direct.set(h, value);
            }
        }
      } catch (e) {
        unread[qualified] = `the store did not answer (${codedReason(e)})`;
      }
    }

  // Current consents to an affected purpose, per person as the ledger decides: the latest choice among the person's
  // own events and those of the devices linked to them is a grant. A device linked to nobody cannot be written to
  // (the SDK's bar reaches it); people recorded as under the minimum age are left out (their data is being deleted).
  let consents = 0;
  if (scope.purposes.length > 0) {
    const purposes = sql.join(scope.purposes);
    const rows = await sql<{ person: string }>`
      with ev as (
        select subject_hash as person, purpose, status, seq from consent_events
        where purpose in (${purposes}) and subject_type <> 'device'
        union all
        select l.subject_hash as person, e.purpose, e.status, e.seq
        from consent_events e join consent_links l on l.device_hash = e.subject_hash
        where e.purpose in (${purposes})
      )
      select person from (
        select distinct on (person, purpose) person, status from ev order by person, purpose, seq desc) latest
      where status = 'granted'
        and person not in (select subject_hash from consent_events where purpose = '*' and status = 'under_age')
      group by person`.execute(ctx.store.db);
    consents = rows.rows.length;
    for (const r of rows.rows) subjects.add(r.person);
  }

  // The accounts, page by page: open ones whose key, or one of whose identities, is in scope.
  const identityColumns = [...account.fields]
    .filter(([, f]) => f.identity)
    .map(([name, f]) => [name, f.identity!] as const);
  const closedAt = manifest.account?.closed_at;
  const columns = [
    ...new Set([
      keyName,
      emailField,
      ...identityColumns.map(([n]) => n),
      ...(closedAt ? [closedAt] : []),
      ...accounts.keys(),
    ]),
  ];
  const named = (r: Record<string, unknown>) =>
    [...accounts].some(
      ([column, values]) => r[column] !== null && r[column] !== undefined && values.has(String(r[column])),
    );
  const db = await stores.get(account.dataset);
  const out = new Map<string, Recipient>();
  let seen = 0;
  for await (const keys of distinctValues(db, account.name, keyName, size)) {
    for await (const rows of db.readByKeys(account.name, keyName, keys, columns)) {
      for (const r of rows) {
        const address = r[emailField];
        if (typeof address !== "string" || !EMAIL.test(normaliseAddress(address))) continue;
        const a = normaliseAddress(address);
        const h = hash.subject("email", a);
        // An account's address is never written to as someone outside the accounts (closed ones included).
        direct.delete(h);
        if (closedAt && r[closedAt] !== null && r[closedAt] !== undefined) continue;
        const known = identityColumns.flatMap(([n, type]) => {
          const v = r[n];
          return v === null || v === undefined || String(v).trim() === ""
            ? []
            : [hash.subject(type, normaliseIdentity(type, String(v)))];
        });
        const inScope = scope.everyone || named(r) || known.some((k) => subjects.has(k));
        if (inScope) out.set(h, { hash: h, address: a, subjects: [...new Set([h, ...known])].sort() });
      }
    }
    seen += keys.length;
    options.progress?.({ accounts: seen, recipients: out.size });
  }
  for (const [h, a] of direct) out.set(h, { hash: h, address: a, subjects: [h] });
  return {
    scope: {
      everyone: scope.everyone,
      purposes: scope.purposes,
      categories: scope.categories,
      collections: scope.collections,
      read,
      unread,
      consents,
    },
    recipients: [...out.values()].sort((a, b) => (a.hash < b.hash ? -1 : 1)),
  };
}
