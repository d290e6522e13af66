/**
 * Builds the typed Manifest from the schema-checked resources of every file: merges the lists, rejects duplicate
 * keys and repeated singletons, fills defaults, adds the default taxonomy, and remembers where each resource came from.
 */
import { formatLocation, type StewardError, stewardError } from "../errors.ts";
import { buildRights } from "./build-rights.ts";
import type {
  CollectionInput,
  DatasetInput,
  FieldInput,
  PurposeInput,
  RetentionInput,
  RightsInput,
  SystemInput,
} from "./schema.ts";
import { buildTaxonomy } from "./taxonomy/build-taxonomy.ts";
import type {
  AccountDeclaration,
  Collection,
  Dataset,
  ErasureAction,
  Exemption,
  Field,
  JurisdictionRights,
  Manifest,
  Notice,
  Organization,
  Purpose,
  RetentionRule,
  RetentionTrigger,
  Source,
  System,
  TaxonomyEntry,
} from "./types.ts";
import type { YamlLocator, YamlPath } from "./yaml-locator.ts";

export interface RawResource {
  readonly data: unknown;
  readonly locator: YamlLocator;
  readonly path: YamlPath;
}
export type RawSections = Map<string, RawResource[]>;

/** Where a built object came from, so later checks can point into the YAML below it. */
export type Whereabouts = WeakMap<object, { readonly locator: YamlLocator; readonly path: YamlPath }>;

const omitUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;

function pick<T extends object>(value: T, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!keys.includes(k) && v !== undefined && v !== null) out[k] = v;
  return out;
}

/** Days in an ISO 8601 period (a month counts 30 days, a year 365). */
export function periodDays(period: string): number {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(period);
  if (!m) return Number.NaN;
  const [, y, mo, w, d] = m.map((g) => Number(g ?? 0));
  return (y ?? 0) * 365 + (mo ?? 0) * 30 + (w ?? 0) * 7 + (d ?? 0);
}

export function buildManifest(
  sections: RawSections,
  root: string,
  files: readonly string[],
): { manifest: Manifest; errors: StewardError[]; where: Whereabouts } {
  const errors: StewardError[] = [];
  const where: Whereabouts = new WeakMap();
  const list = (key: string) => sections.get(key) ?? [];

  function single<T>(kind: string): { value: T; raw: RawResource } | undefined {
    const all = list(kind);
    if (all.length > 1) {
      const [first, second] = all as [RawResource, RawResource];
      errors.push(
        stewardError(
          "STW_MANIFEST_DUPLICATE_KEY",
          { kind: "top-level key", key: kind, first: formatLocation(first.locator.locate(first.path)) },
          second.locator.locate(second.path),
        ),
      );
    }
    const raw = all[0];
    return raw ? { value: raw.data as T, raw } : undefined;
  }

  /** Builds every resource of a list, rejecting a key seen before. */
  function keyed<I, O extends object>(
    kind: string,
    section: string,
    keyOf: (i: I) => string,
    build: (i: I, r: RawResource) => O,
  ) {
    const seen = new Map<string, RawResource>();
    const out: O[] = [];
    for (const raw of list(section)) {
      const input = raw.data as I;
      const k = keyOf(input);
      const first = seen.get(k);
      if (first) {
        errors.push(
          stewardError(
            "STW_MANIFEST_DUPLICATE_KEY",
            { kind, key: k, first: formatLocation(first.locator.locate(first.path)) },
            raw.locator.locate(raw.path),
          ),
        );
        continue;
      }
      seen.set(k, raw);
      const built = build(input, raw);
      where.set(built, { locator: raw.locator, path: raw.path });
      out.push(built);
    }
    return out;
  }

  const at = (raw: RawResource) => raw.locator.locate(raw.path);

  const org = single<Organization>("organization");
  const organization = org ? ({ ...omitUndefined(org.value), at: at(org.raw) } as Organization) : undefined;
  if (organization && org) where.set(organization, { locator: org.raw.locator, path: org.raw.path });

  const tax = single<{ data_categories: TaxonomyEntry[]; data_uses: TaxonomyEntry[]; data_subjects: TaxonomyEntry[] }>(
    "taxonomy",
  );
  const taxonomy = buildTaxonomy(
    tax?.value,
    tax ? { locator: tax.raw.locator, path: tax.raw.path } : undefined,
    errors,
  );

  const purposes = keyed<PurposeInput, Purpose>(
    "purpose",
    "purposes",
    (p) => p.key,
    (p, raw) => omitUndefined({ ...p, at: at(raw) }) as Purpose,
  );
  const systems = keyed<SystemInput, System>(
    "system",
    "systems",
    (s) => s.key,
    (s, raw) => omitUndefined({ ...s, at: at(raw) }) as System,
  );
  const sources = keyed<Source, Source>(
    "source",
    "sources",
    (s) => s.key,
    (s, raw) => omitUndefined({ ...s, at: at(raw) }),
  );
  const exemptions = keyed<Exemption, Exemption>(
    "exemption",
    "exemptions",
    (e) => e.key,
    (e, raw) => ({
      ...e,
      at: at(raw),
    }),
  );
  const datasets = keyed<DatasetInput, Dataset>(
    "dataset",
    "dataset",
    (d) => d.fides_key,
    (d, raw) => buildDataset(d, raw, where, errors),
  );
  const retention = keyed<RetentionInput, RetentionRule>(
    "retention rule",
    "retention",
    (r) => r.key,
    (r, raw) => buildRetention(r, raw, errors),
  );
  const rights = keyed<RightsInput, JurisdictionRights>(
    "jurisdiction",
    "rights",
    (r) => r.jurisdiction,
    (r, raw) => buildRights(r, raw, errors),
  );
  const accountRaw = single<Omit<AccountDeclaration, "at">>("account");
  const account = accountRaw ? { ...accountRaw.value, at: at(accountRaw.raw) } : undefined;
  if (account && accountRaw) where.set(account, { locator: accountRaw.raw.locator, path: accountRaw.raw.path });
  const noticeRaw = single<Notice>("notice");
  const notice = noticeRaw ? ({ ...noticeRaw.value, at: at(noticeRaw.raw) } as Notice) : undefined;
  if (notice && noticeRaw) where.set(notice, { locator: noticeRaw.raw.locator, path: noticeRaw.raw.path });

  const manifest: Manifest = {
    root,
    files,
    ...(organization ? { organization } : {}),
    taxonomy,
    purposes,
    systems,
    sources,
    exemptions,
    datasets,
    retention,
    ...(account ? { account } : {}),
    rights,
    ...(notice ? { notice } : {}),
  };
  return { manifest, errors, where };
}

function erasureOf(input: unknown): ErasureAction | undefined {
  return input === undefined ? undefined : (omitUndefined(input as object) as ErasureAction);
}

function buildField(f: FieldInput, raw: RawResource, path: YamlPath, where: Whereabouts): Field {
  const meta = f.fides_meta ?? f.fidesops_meta ?? {};
  const children = (f.fields ?? []).map((c, i) => buildField(c, raw, [...path, "fields", i], where));
  const field = omitUndefined({
    name: f.name,
    description: f.description ?? undefined,
    data_categories: f.data_categories ?? [],
    identity: meta.identity ?? undefined,
    primary_key: meta.primary_key ?? false,
    references: (meta.references ?? []).map((r) => omitUndefined({ ...r })),
    data_type: meta.data_type ?? undefined,
    length: meta.length ?? undefined,
    read_only: meta.read_only ?? false,
    personal: f.personal,
    expands_identity: f.expands_identity ?? false,
    erasure: erasureOf(f.erasure),
    fields: children,
    fides_extra: {
      ...pick(f, [
        "name",
        "description",
        "data_categories",
        "fides_meta",
        "fidesops_meta",
        "fields",
        "erasure",
        "personal",
        "expands_identity",
      ]),
      ...(Object.keys(pick(meta, ["references", "identity", "primary_key", "data_type", "length", "read_only"]))
        .length > 0
        ? { fides_meta: pick(meta, ["references", "identity", "primary_key", "data_type", "length", "read_only"]) }
        : {}),
    },
    at: raw.locator.locate(path),
  }) as Field;
  where.set(field, { locator: raw.locator, path });
  return field;
}

function buildCollection(
  c: CollectionInput,
  raw: RawResource,
  path: YamlPath,
  where: Whereabouts,
  errors: StewardError[],
): Collection {
  const seen = new Set<string>();
  const fields: Field[] = [];
  c.fields.forEach((f, i) => {
    if (seen.has(f.name)) {
      errors.push(
        stewardError(
          "STW_MANIFEST_DUPLICATE_KEY",
          { kind: "field", key: `${c.name}.${f.name}`, first: "earlier in the same collection" },
          raw.locator.locate([...path, "fields", i]),
        ),
      );
      return;
    }
    seen.add(f.name);
    fields.push(buildField(f, raw, [...path, "fields", i], where));
  });
  const meta = c.fides_meta ?? c.fidesops_meta ?? {};
  const collection = omitUndefined({
    name: c.name,
    description: c.description ?? undefined,
    data_categories: c.data_categories ?? [],
    fields,
    after: meta.after ?? [],
    erase_after: meta.erase_after ?? [],
    skip_processing: meta.skip_processing ?? false,
    erasure: erasureOf(c.erasure),
    exemptions: c.exemptions.map((e) => omitUndefined({ ...e })),
    processor_for: c.processor_for,
    public: c.public,
    fides_extra: {
      ...(Object.keys(pick(meta, ["after", "erase_after", "skip_processing"])).length > 0
        ? { fides_meta: pick(meta, ["after", "erase_after", "skip_processing"]) }
        : {}),
    },
    at: raw.locator.locate(path),
  }) as Collection;
  where.set(collection, { locator: raw.locator, path });
  return collection;
}

function buildDataset(d: DatasetInput, raw: RawResource, where: Whereabouts, errors: StewardError[]): Dataset {
  const seen = new Set<string>();
  const collections: Collection[] = [];
  d.collections.forEach((c, i) => {
    const path = [...raw.path, "collections", i];
    if (seen.has(c.name)) {
      errors.push(
        stewardError(
          "STW_MANIFEST_DUPLICATE_KEY",
          { kind: "collection", key: `${d.fides_key}.${c.name}`, first: "earlier in the same dataset" },
          raw.locator.locate(path),
        ),
      );
      return;
    }
    seen.add(c.name);
    collections.push(buildCollection(c, raw, path, where, errors));
  });
  return omitUndefined({
    fides_key: d.fides_key,
    name: d.name ?? d.fides_key,
    description: d.description ?? undefined,
    data_categories: d.data_categories ?? [],
    collections,
    connection: d.connection ? omitUndefined({ ...d.connection }) : undefined,
    system: d.system,
    processor_for: d.processor_for,
    fides_extra: pick(d, [
      "fides_key",
      "name",
      "description",
      "data_categories",
      "collections",
      "connection",
      "system",
      "processor_for",
    ]),
    at: raw.locator.locate(raw.path),
  }) as Dataset;
}

function buildRetention(r: RetentionInput, raw: RawResource, errors: StewardError[]): RetentionRule {
  const given = (["period", "until", "account_lifetime", "legal"] as const).filter((k) => r[k] !== undefined);
  let trigger: RetentionTrigger = { kind: "legal", description: r.legal ?? "" };
  if (given.length !== 1) {
    errors.push(
      stewardError(
        "STW_MANIFEST_INVALID_VALUE",
        {
          value: given.length === 0 ? "(none)" : given.join(" + "),
          detail: `retention rule "${r.key}" must say exactly one of when the data goes`,
          allowed: ["period (+ from, or + after)", "until", "account_lifetime", "legal"],
        },
        raw.locator.locate(raw.path),
      ),
    );
  } else if (r.period !== undefined && r.after !== undefined) {
    if (r.from !== undefined)
      errors.push(
        stewardError(
          "STW_MANIFEST_INVALID_VALUE",
          {
            value: "from + after",
            detail: `retention rule "${r.key}" counts its period from a column or from an event, not both`,
            allowed: ["period + from", "period + after"],
          },
          raw.locator.locate(raw.path),
        ),
      );
    trigger = { kind: "after_event", period: r.period, days: periodDays(r.period), event: r.after };
  } else if (r.period !== undefined) {
    if (!r.from) {
      errors.push(
        stewardError(
          "STW_MANIFEST_MISSING_KEY",
          {
            key: "from",
            parent: `retention rule "${r.key}" (it has a period: count it from a column, or \`after\` an event)`,
          },
          raw.locator.locate(raw.path),
        ),
      );
    }
    trigger = { kind: "period", period: r.period, days: periodDays(r.period), from: r.from ?? "" };
  } else if (r.until !== undefined) trigger = { kind: "event", event: r.until };
  else if (r.account_lifetime !== undefined)
    trigger = { kind: "account_lifetime", grace_days: periodDays(r.account_lifetime.grace) };
  return {
    key: r.key,
    description: r.description,
    reason: r.reason,
    data_categories: r.data_categories,
    collections: r.collections,
    trigger,
    action: r.action,
    ...(r.where ? { where: r.where } : {}),
    ...(r.schedule ? { schedule: r.schedule } : {}),
    at: raw.locator.locate(raw.path),
  };
}
