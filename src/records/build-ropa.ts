/**
 * Builds the Art. 30 records from a manifest (pure: no I/O). Each purpose becomes one processing activity: in the
 * controller's record (30(1)) when the organization decides on it, in the processor's record (30(2)) when the
 * purpose names `processor_for`. Collections held for a controller are listed under that controller.
 */
import { stewardError } from "../errors.ts";
import { isThirdCountry, thirdCountries } from "../manifest/third-country.ts";
import type { Manifest, Organization, Purpose, RetentionRule, System } from "../manifest/types.ts";
import {
  categoryName,
  collectionCategories,
  controllersWeServe,
  distinct,
  holdingsFor,
  isWithin,
  rulesCovering,
  subjectName,
  systemOf,
  useName,
} from "../notice/manifest-facts.ts";
import { addressInWords, MECHANISM_SHORT_NAMES } from "../notice/plain-words.ts";
import { retentionInWords } from "../notice/retention-in-words.ts";
import type {
  ControllerRecord,
  ProcessorController,
  Ropa,
  RopaActivity,
  RopaNamed,
  RopaParty,
  RopaRepresentative,
  RopaTimeLimit,
  RopaTransfer,
} from "./ropa-types.ts";

const NO_SAFEGUARD = "no safeguard recorded";

const named = (key: string, name: string): RopaNamed => ({ key, name });

const safeguard = (mechanisms: System["transfer_mechanisms"]): string =>
  mechanisms.length === 0 ? NO_SAFEGUARD : mechanisms.map((x) => MECHANISM_SHORT_NAMES[x]).join(", ");

/**
 * The time limits for erasure of `categories`: one per retention rule that covers some of them, naming the narrower
 * key of each overlap (the activity's "user.contact.address" under a rule for "user.contact", or the rule's
 * "user.contact.email" under an activity's "user.contact").
 */
function timeLimits(m: Manifest, categories: readonly string[], rules: readonly RetentionRule[]): RopaTimeLimit[] {
  return rules.map((r) => {
    const overlap = distinct(
      categories.flatMap((c) =>
        r.data_categories.flatMap((rc) => (isWithin(c, rc) ? [c] : isWithin(rc, c) ? [rc] : [])),
      ),
    );
    return {
      rule: r.key,
      description: r.description,
      categories: overlap.map((k) => named(k, categoryName(m, k))),
      limit: retentionInWords(r),
    };
  });
}

function controllerRecord(o: Organization): ControllerRecord {
  return {
    key: o.key,
    name: o.legal_name,
    trading_name: o.name,
    contact: { name: o.legal_name, email: o.contact_email, address: addressInWords(o.address) },
    representatives: representatives(o),
    ...(o.dpo ? { dpo: party(o.dpo) } : {}),
    security_measures: o.security_measures,
  };
}

function party(c: { name: string; email: string; address?: Organization["address"] }): RopaParty {
  return { name: c.name, email: c.email, ...(c.address ? { address: addressInWords(c.address) } : {}) };
}

const representatives = (o: Organization): RopaRepresentative[] =>
  o.representatives.map((r) => ({ region: r.region, ...party(r) }));

/** The organization's own hosting outside the EEA is a transfer too: data collected in the EEA goes there. */
function hostingTransfer(o: Organization): RopaTransfer[] {
  const t = o.transfers;
  if (!t || !isThirdCountry(t.primary_hosting_country)) return [];
  return [
    {
      to: `${o.name} (own hosting)`,
      countries: [t.primary_hosting_country],
      mechanisms: t.mechanisms,
      safeguard: safeguard(t.mechanisms),
    },
  ];
}

function activity(m: Manifest, o: Organization, p: Purpose): RopaActivity {
  const recipients = p.recipients.map((key) => {
    const s = systemOf(m, key);
    const countries = s?.countries ?? [];
    return {
      key,
      name: s?.name ?? key,
      kind: s?.kind ?? "third_party",
      countries,
      third_country: thirdCountries(countries).length > 0,
    };
  });
  const transfers: RopaTransfer[] = [...hostingTransfer(o)];
  for (const key of p.recipients) {
    const s = systemOf(m, key);
    const outside = thirdCountries(s?.countries ?? []);
    if (!s || outside.length === 0) continue;
    transfers.push({
      to: s.name,
      countries: outside,
      mechanisms: s.transfer_mechanisms,
      safeguard: safeguard(s.transfer_mechanisms),
    });
  }
  const controllerSystem = p.processor_for ? systemOf(m, p.processor_for) : undefined;
  const controller = p.processor_for
    ? {
        key: p.processor_for,
        name: controllerSystem?.name ?? p.processor_for,
        ...(controllerSystem?.privacy_policy ? { url: controllerSystem.privacy_policy } : {}),
      }
    : { key: o.key, name: o.legal_name, email: o.contact_email, address: addressInWords(o.address) };
  return {
    record: p.processor_for ? "30(2)" : "30(1)",
    key: p.key,
    name: p.name,
    description: p.description,
    data_use: named(p.data_use, useName(m, p.data_use)),
    ...(p.legal_basis ? { legal_basis: p.legal_basis } : {}),
    controller,
    data_subjects: p.data_subjects.map((k) => named(k, subjectName(m, k))),
    personal_data: p.data_categories.map((k) => named(k, categoryName(m, k))),
    recipients,
    transfers,
    time_limits: timeLimits(m, p.data_categories, rulesCovering(m, p.data_categories)),
  };
}

function processorController(m: Manifest, key: string): ProcessorController {
  const s = systemOf(m, key);
  const holdings = holdingsFor(m, key).map(({ name, collection }) => {
    const categories = collectionCategories(collection).filter((c) => c.startsWith("user"));
    const rules = [
      ...new Set([...rulesCovering(m, categories), ...m.retention.filter((r) => r.collections.includes(name))]),
    ];
    return {
      collection: name,
      personal_data: categories.map((c) => named(c, categoryName(m, c))),
      time_limits: timeLimits(m, categories, rules),
    };
  });
  return {
    key,
    name: s?.name ?? key,
    description: s?.description ?? "",
    ...(s?.privacy_policy ? { url: s.privacy_policy } : {}),
    ...(s?.dpa ? { dpa: s.dpa } : {}),
    countries: s?.countries ?? [],
    holdings,
  };
}

/**
 * @throws STW_MANIFEST_MISSING_ORGANIZATION when the manifest has no `organization:` (the record must name the
 *   controller).
 * @example
 *   const ropa = buildRopa(await loadManifestDir("examples/learning-platform"));
 *   ropa.activities.length; // one per purpose the organization decides on
 */
export function buildRopa(manifest: Manifest): Ropa {
  const o = manifest.organization;
  if (!o) throw stewardError("STW_MANIFEST_MISSING_ORGANIZATION", { dir: manifest.root });
  const all = manifest.purposes.map((p) => activity(manifest, o, p));
  return {
    controller: controllerRecord(o),
    activities: all.filter((a) => a.record === "30(1)"),
    processor: {
      processor: { name: o.legal_name, email: o.contact_email, address: addressInWords(o.address) },
      representatives: representatives(o),
      ...(o.dpo ? { dpo: party(o.dpo) } : {}),
      controllers: controllersWeServe(manifest).map((k) => processorController(manifest, k)),
      activities: all.filter((a) => a.record === "30(2)"),
      security_measures: o.security_measures,
    },
  };
}
