import { describe, expect, it } from "vitest";
import { runChecks } from "../../src/check/run-checks.ts";
import { BASE, load } from "../manifest/helpers.ts";

type Files = Record<string, string>;
const edit = (file: keyof typeof BASE, from: string, to: string): Files => {
  const text = BASE[file];
  if (!text.includes(from)) throw new Error(`fixture edit: "${from}" not found in ${file}`);
  return { ...BASE, [file]: text.replace(from, to) };
};
const codes = (files: Files) =>
  runChecks(load(files))
    .errors.concat(runChecks(load(files)).warnings)
    .map((f) => f.code);

describe("steward check lints", () => {
  it("the base manifest is clean (the passing case of every lint)", () => {
    const report = runChecks(load(BASE));
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.summary).toMatchObject({ purposes: 1, datasets: 1, collections: 2, fields: 5, errors: 0 });
  });

  it.each<[string, string, Files]>([
    [
      "SC001",
      "a field without data category",
      edit(
        "datasets/app.yml",
        "          - name: body\n            data_categories: [user.content.public]\n",
        "          - name: body\n",
      ),
    ],
    ["SC002", "a purpose without legal basis", edit("purposes.yml", "    legal_basis: contract\n", "")],
    [
      "SC003",
      "legitimate interests without balancing",
      edit("purposes.yml", "legal_basis: contract", "legal_basis: legitimate_interests"),
    ],
    ["SC004", "consent without mechanism", edit("purposes.yml", "legal_basis: contract", "legal_basis: consent")],
    [
      "SC005",
      "personal data no identity reaches",
      edit(
        "datasets/app.yml",
        "              references: [{dataset: app, field: users.id, direction: from}]\n",
        "              data_type: integer\n",
      ),
    ],
    [
      "SC006",
      "a stored category without retention",
      edit(
        "purposes.yml",
        "    data_categories: [user]\n    account_lifetime",
        "    data_categories: [user.contact]\n    account_lifetime",
      ),
    ],
    [
      "SC007",
      "a recipient abroad without mechanism",
      edit("purposes.yml", "    transfer_mechanisms: [eu_us_dpf]\n", ""),
    ],
    ["SC008", "a processor without agreement", edit("purposes.yml", "    dpa: DPA-1\n", "")],
    [
      "SC009",
      "a purpose in a section the notice leaves out",
      edit(
        "org.yml",
        "sections: [who_we_are, data_we_collect, how_we_use, retention]",
        "sections: [who_we_are, data_we_collect, retention]",
      ),
    ],
    [
      "SC010",
      "a stored category no source discloses",
      edit(
        "purposes.yml",
        "    kind: data_subject\n    data_categories: [user]",
        "    kind: data_subject\n    data_categories: [user.contact]",
      ),
    ],
    [
      "SC011",
      "a purpose naming a category nothing stores",
      edit(
        "purposes.yml",
        "data_categories: [user.contact.email]\n    recipients",
        "data_categories: [user.contact.email, user.financial]\n    recipients",
      ),
    ],
    [
      "SC012",
      "a dataset without connection",
      edit("datasets/app.yml", '    connection: {kind: postgres, url: "${APP_DATABASE_URL}"}\n', ""),
    ],
    ["SC013", "no notice", edit("org.yml", /notice:[\s\S]*/.exec(BASE["org.yml"])![0], "")],
  ])("%s: %s", (code, _title, files) => {
    expect(codes(files)).toContain(code);
  });

  it("legitimate interests with a balancing record, and consent with mechanisms, pass", () => {
    const li = edit(
      "purposes.yml",
      "legal_basis: contract",
      "legal_basis: legitimate_interests\n    legitimate_interest: {interest: Keep the site safe, necessity: No other way, balancing: Low impact, assessed_on: 2025-01-01}",
    );
    expect(codes(li)).not.toContain("SC003");
    const consent = edit(
      "purposes.yml",
      "legal_basis: contract",
      "legal_basis: consent\n    consent: {EEA: opt_in, US: opt_out}",
    );
    expect(codes(consent)).not.toContain("SC004");
  });

  it("an internal system abroad is covered by the organization's transfer commitments", () => {
    const internal = edit("purposes.yml", "    kind: processor\n", "    kind: internal\n");
    const files: Files = {
      ...internal,
      "purposes.yml": internal["purposes.yml"]!.replace("    transfer_mechanisms: [eu_us_dpf]\n", ""),
    };
    expect(codes(files)).not.toContain("SC007");
    const noOrgMechanism = {
      ...files,
      "org.yml": files["org.yml"]!.replace("  transfers: {primary_hosting_country: US, mechanisms: [eu_us_dpf]}\n", ""),
    };
    expect(codes(noOrgMechanism)).toContain("SC007");
  });

  it("a purpose done as processor needs no legal basis of its own; data held only at a processor counts as held", () => {
    const withController = edit(
      "purposes.yml",
      "systems:\n",
      "  - {key: graded, name: Grading for the school, description: Done for the school., data_use: essential.service, processor_for: school, data_categories: [user.financial]}\nsystems:\n  - {key: school, name: School, kind: controller, description: A school., countries: [IE]}\n",
    );
    expect(codes(withController)).not.toContain("SC002");
    expect(codes(withController)).toContain("SC011");
    const received = {
      ...withController,
      "purposes.yml": withController["purposes.yml"]!.replace(
        "dpa: DPA-1",
        "dpa: DPA-1\n    data_categories: [user.financial]",
      ),
    };
    expect(codes(received)).not.toContain("SC011");
  });

  it("SC005 uses the planner's graph: a `to` reference reaches the rows it names, one not followed does not", () => {
    const withMentors = (reference: string) => {
      const files = edit(
        "datasets/app.yml",
        "          - name: body\n",
        `          - name: mentor_id\n            data_categories: [system.operations]\n            fides_meta: {references: [${reference}]}\n          - name: body\n`,
      );
      return {
        ...files,
        "datasets/app.yml": `${files["datasets/app.yml"]}      - name: mentors\n        fields:\n          - {name: id, data_categories: [system.operations], fides_meta: {primary_key: true}}\n          - {name: name, data_categories: [user.name]}\n`,
      };
    };
    expect(codes(withMentors("{dataset: app, field: mentors.id, direction: to}"))).not.toContain("SC005");
    expect(codes(withMentors("{dataset: app, field: mentors.id, direction: to, steward: {follow: false}}"))).toContain(
      "SC005",
    );
  });

  it("SC020: a followed reference to rows of people — `to` another collection of them, or a collection to itself — unless not followed", () => {
    const withReference = (field: string, reference: string) =>
      edit(
        "datasets/app.yml",
        "          - name: body\n",
        `          - name: ${field}\n            data_categories: [user.unique_id]\n            fides_meta: {references: [${reference}]}\n          - name: body\n`,
      );
    const selfReference = (reference: string) =>
      edit(
        "datasets/app.yml",
        "            fides_meta: {identity: email}\n",
        `            fides_meta: {identity: email}\n          - name: manager_id\n            data_categories: [user.unique_id]\n            fides_meta: {references: [${reference}]}\n`,
      );
    // A post's reviewer, found by following the reference to the accounts: another person's account.
    expect(codes(withReference("reviewer_id", "{dataset: app, field: users.id, direction: to}"))).toContain("SC020");
    expect(
      codes(withReference("reviewer_id", "{dataset: app, field: users.id, direction: to, steward: {follow: false}}")),
    ).not.toContain("SC020");
    // From the accounts to the posts naming them: the subject's own posts.
    expect(codes(withReference("reviewer_id", "{dataset: app, field: users.id, direction: from}"))).not.toContain(
      "SC020",
    );
    // A manager is another account, whichever way the reference is followed.
    for (const direction of ["to", "from"])
      expect(codes(selfReference(`{dataset: app, field: users.id, direction: ${direction}}`))).toContain("SC020");
    expect(codes(selfReference("{dataset: app, field: users.id, steward: {follow: false}}"))).not.toContain("SC020");
  });

  it("findings carry the location of the offending resource", () => {
    const report = runChecks(load(edit("purposes.yml", "    dpa: DPA-1\n", "")));
    const finding = report.errors.find((f) => f.code === "SC008")!;
    expect(finding.location).toMatchObject({ file: "purposes.yml", line: 10 });
    expect(finding.message).toContain('"mailer"');
  });

  it("a field marked `personal: false` needs no category, and a collection with only such fields needs no identity", () => {
    const files = edit(
      "datasets/app.yml",
      "          - name: body\n            data_categories: [user.content.public]\n",
      "          - name: body\n            personal: false\n",
    );
    expect(codes(files)).not.toContain("SC001");
  });

  describe("SC015: a jurisdiction's deadline differs from its law's rule pack", () => {
    const withRights = (entries: string): Files => ({
      ...BASE,
      "rights.yml": `rights:\n${entries}`,
    });
    const entry = (jurisdiction: string, deadline: string) =>
      `  - jurisdiction: ${jurisdiction}\n    name: ${jurisdiction}\n    law: A law\n    requests: [access]\n${deadline}    verification: email\n`;
    const sc015 = (files: Files) => runChecks(load(files)).warnings.filter((f) => f.code === "SC015");

    it("passes when each states the law's figures in the law's unit, or has no law to follow", () => {
      const files = withRights(
        entry("eea", "    deadline: 1 month\n    extension: 2 months\n") +
          entry("us_ca", "    deadline_days: 45\n    extension_days: 45\n") +
          entry("br", "    deadline: 15 days\n") +
          entry("ch", "    deadline: 30 days\n    extension: 90 days\n") +
          entry("global", "    deadline: 10 business days\n"),
      );
      expect(sc015(files)).toEqual([]);
    });

    it.each<[string, string, string]>([
      [
        "30 days where the GDPR says one month",
        entry("eea", "    deadline_days: 30\n    extension: 2 months\n"),
        'jurisdiction "eea" states a deadline of 30 days; the GDPR says one month (GDPR Art. 12(3)) — write `deadline: 1 month`',
      ],
      [
        "no extension where the GDPR allows two more months",
        entry("eea", "    deadline: 1 month\n"),
        'jurisdiction "eea" states no extension; the GDPR says up to two more months',
      ],
      [
        "30 days where the CCPA says 45",
        entry("us_ca", "    deadline: 30 days\n    extension: 45 days\n"),
        'jurisdiction "us_ca" states a deadline of 30 days; the CCPA says 45 days (11 CCR §7021(b)',
      ],
      [
        "an extension the LGPD does not allow",
        entry("br", "    deadline: 15 days\n    extension: 15 days\n"),
        'jurisdiction "br" states an extension of 15 days; the LGPD says no extension — remove `extension`',
      ],
    ])("%s", (_case, yaml, message) => {
      const findings = sc015(withRights(yaml));
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        severity: "warning",
        message: expect.stringContaining(message),
        location: { file: "rights.yml", line: 2 },
      });
      expect(findings[0]!.message).toContain("the service and the notice use the law's figure");
    });
  });
});
