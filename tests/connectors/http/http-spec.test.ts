/**
 * Loading processor specs: the shipped ones validate, a path is taken relative to the root, and every kind of bad
 * spec is one coded error naming the file, the line and the key — without repeating a secret pasted by mistake.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadHttpSpec, parseHttpSpec, SHIPPED_SPECS } from "../../../src/connectors/http/index.ts";

const root = mkdtempSync(join(tmpdir(), "steward-specs-"));
afterAll(() => rmSync(root, { recursive: true }));

const HEAD =
  'vendor: acme\nname: Acme\nbase_url: https://api.acme.example\nauth: { type: bearer, token: "${ACME_KEY}" }\n';
const RESOURCE = `${HEAD}resources:
  people:
    fields: { id: /id, email: /email }
    find:
      email: { path: /v1/people, query: { email: "{value}" }, records: /items }
    delete: { path: "/v1/people/{id}" }
`;

function failure(text: string, file = "acme.yml"): Error {
  try {
    parseHttpSpec(text, file);
  } catch (error) {
    return error as Error;
  }
  throw new Error("the spec was accepted");
}

describe("processor specs", () => {
  it("ships stripe and fullstory, both valid", async () => {
    expect(SHIPPED_SPECS).toEqual(["fullstory", "stripe"]);
    const stripe = await loadHttpSpec("stripe", root);
    expect(stripe.auth).toEqual({ type: "bearer", token: "${STRIPE_SECRET_KEY}" });
    expect(Object.keys(stripe.resources)).toEqual(["customers", "charges"]);
    const fullstory = await loadHttpSpec("fullstory", root);
    expect(fullstory.resources["users"]?.find["email"]?.pagination).toEqual({
      style: "token",
      param: "page_token",
      next: "/next_page_token",
    });
  });

  it("loads a spec by a path relative to the root, with defaults for what it leaves out", async () => {
    writeFileSync(join(root, "acme.yml"), RESOURCE);
    const spec = await loadHttpSpec("acme.yml", root);
    expect(spec.resources["people"]?.id).toBe("id");
    expect(spec.retry.max_attempts).toBe(4);
    expect(spec.rate_limit.requests_per_second).toBe(10);
  });

  it("names the shipped specs when a reference is neither one of them nor a readable file", async () => {
    for (const ref of ["strype", "missing.yml"]) {
      const error = await loadHttpSpec(ref, root).catch((e: Error) => e);
      expect(error).toMatchObject({ code: "STW_SPEC_NOT_FOUND" });
      expect((error as Error).message).toContain('"stripe"');
    }
  });

  it("an unknown key: file, line, the key's path and a did-you-mean", () => {
    const error = failure(RESOURCE.replace("    delete:", "    delet:"));
    expect(error).toMatchObject({ code: "STW_SPEC_INVALID", location: { file: "acme.yml", line: 10 } });
    expect(error.message).toMatch(
      /^acme\.yml:10:5: processor spec key "resources\.people\.delet" .*did you mean "delete"/,
    );
  });

  it("a missing key, a bad value and a broken cross-reference each name the key", () => {
    expect(failure(HEAD).message).toContain('key "resources" is missing');
    expect(failure(RESOURCE.replace("records: /items", "records: items")).message).toContain(
      'key "resources.people.find.email.records" must be a JSON pointer',
    );
    expect(failure(RESOURCE.replace("email: { path", "phone: { path")).message).toContain(
      'key "resources.people.find.phone" is not a field of `fields`',
    );
    expect(failure(RESOURCE.replace('"/v1/people/{id}"', '"/v1/people/{uid}"')).message).toContain(
      'key "resources.people.delete.path" uses {uid}; only {id} is replaced here',
    );
    expect(failure(RESOURCE.replace("type: bearer", "type: oauth")).message).toContain('(found "oauth")');
  });

  it("refuses a literal secret without repeating it", () => {
    const error = failure(RESOURCE.replace('"${ACME_KEY}"', "sk_live_abc123secret"));
    expect(error).toMatchObject({ code: "STW_SPEC_INVALID" });
    expect(error.message).toContain('key "auth.token" must be an environment reference');
    expect(error.message).not.toContain("sk_live_abc123secret");
  });

  it("reports YAML syntax errors with their line", () => {
    const error = failure(`${HEAD}resources:\n  people: {fields: {id: /id}\n`);
    expect(error).toMatchObject({ code: "STW_SPEC_YAML_SYNTAX", location: { file: "acme.yml" } });
  });
});
