import { parseManifest } from "../../src/manifest/parse-manifest.ts";
import type { Manifest } from "../../src/manifest/types.ts";

/** Parses in-memory files ({path: yaml}) the way a manifest folder is parsed. */
export function parse(files: Record<string, string>) {
  return parseManifest(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    "mem",
  );
}

/** Parses and fails the test with the errors when the manifest does not load. */
export function load(files: Record<string, string>): Manifest {
  const { manifest, errors } = parse(files);
  if (!manifest) throw new Error(errors.map((e) => `${e.code}: ${e.message}`).join("\n"));
  return manifest;
}

/** A small valid manifest the tests vary: one purpose, one processor, one dataset of two collections. */
export const BASE = {
  "org.yml": `organization:
  key: acme
  legal_name: Acme Learning Ltd
  name: Acme
  description: An online school.
  address: {street: 1 Main St, city: Dublin, postal_code: D01, country: IE}
  contact_email: privacy@acme.example
  transfers: {primary_hosting_country: US, mechanisms: [eu_us_dpf]}
notice:
  title: Privacy notice
  version: "1"
  effective_date: 2025-01-01
  sections: [who_we_are, data_we_collect, how_we_use, retention]
`,
  "purposes.yml": `purposes:
  - key: accounts
    name: Accounts
    description: Running the learner's account.
    data_use: essential.service
    legal_basis: contract
    data_categories: [user.contact.email]
    recipients: [mailer]
systems:
  - key: mailer
    name: Mailer
    kind: processor
    description: Sends e-mail.
    countries: [US]
    transfer_mechanisms: [eu_us_dpf]
    dpa: DPA-1
sources:
  - key: signup
    name: Sign-up form
    description: What the learner types in.
    kind: data_subject
    data_categories: [user]
retention:
  - key: account
    description: Kept while the account exists.
    reason: Needed to run the account.
    data_categories: [user]
    account_lifetime: {grace: P30D}
`,
  "datasets/app.yml": `dataset:
  - fides_key: app
    connection: {kind: postgres, url: "\${APP_DATABASE_URL}"}
    collections:
      - name: users
        fields:
          - name: id
            data_categories: [user.unique_id]
            fides_meta: {primary_key: true}
          - name: email
            data_categories: [user.contact.email]
            fides_meta: {identity: email}
      - name: posts
        fields:
          - name: id
            data_categories: [system.operations]
          - name: user_id
            data_categories: [user.unique_id]
            fides_meta:
              references: [{dataset: app, field: users.id, direction: from}]
          - name: body
            data_categories: [user.content.public]
`,
} as const;
