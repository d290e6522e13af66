/**
 * The shape of a processor spec: the YAML file that tells the HTTP connector how to reach one vendor's API (where it
 * is, how to sign in, how fast to go, and per resource how to find, delete and update records). Strict like the
 * manifest: an unknown key is an error, so a typo never silently turns an erasure into a no-op. docs/processors.md
 * describes every key.
 */
import { z } from "zod";

/** `${ENV_VAR}`: a spec names where a secret lives, never the secret itself. */
export const ENV_REFERENCE = /^\$\{([A-Z_][A-Z0-9_]*)\}$/;
const envRef = z
  .string()
  .regex(ENV_REFERENCE, "must be an environment reference like ${STRIPE_SECRET_KEY}; a spec never holds the secret");

/** RFC 6901: "" is the whole document, "/a/b" steps into keys (or array indexes), `~1` is "/" and `~0` is "~". */
const pointer = z.string().regex(/^(\/([^~]|~[01])*)*$/, 'must be a JSON pointer such as "/data" or "/address/city"');
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const method = z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]);
const path = z.string().regex(/^\/[^?#\s]*$/, "must start with / and hold no query string (use `query:`)");

const authSchema = z.discriminatedUnion("type", [
  /** `Authorization: Bearer <token>` (Stripe's secret key). */
  z.strictObject({ type: z.literal("bearer"), token: envRef }),
  /**
   * `Authorization: Basic …`: either `username` (+ `password`) encoded as RFC 7617 says, or `token`, a key the vendor
   * hands out ready to send (FullStory documents `Basic {API_KEY}` with the key as is).
   */
  z.strictObject({
    type: z.literal("basic"),
    token: envRef.optional(),
    username: envRef.optional(),
    password: envRef.optional(),
  }),
]);

const paginationSchema = z.discriminatedUnion("style", [
  /** Stripe: the next page starts after the last record's id (`starting_after`) while `has_more` is true. */
  z.strictObject({ style: z.literal("cursor"), param: z.string().min(1), cursor: pointer, has_more: pointer }),
  /** FullStory: the response carries the next page's token; no token means the last page. */
  z.strictObject({ style: z.literal("token"), param: z.string().min(1), next: pointer }),
]);

const findSchema = z.strictObject({
  method: method.default("GET"),
  /** `{value}` is replaced by the looked-up value, URL-encoded. */
  path,
  /** Query parameters; `{value}` inside a value is replaced by the looked-up value. */
  query: z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
  /** Where the records are in the response: an array, or one record (a retrieve-by-id endpoint). */
  records: pointer,
  pagination: paginationSchema.optional(),
  /** `empty`: a 404 means "no such record" (retrieve-by-id endpoints); `error` (default): a 404 is a failure. */
  not_found: z.enum(["error", "empty"]).default("error"),
  /** Records where every pointer holds the value are treated as gone (e.g. a deletion the vendor has not finished). */
  skip_when: z.record(pointer, scalar).default({}),
});

const deleteSchema = z.strictObject({
  method: method.default("DELETE"),
  /** `{id}` is replaced by the record's id. */
  path,
  /** The vendor confirms a deletion when every pointer of the answer holds the value; empty = any 2xx confirms. */
  confirm: z.record(pointer, scalar).default({}),
});

const updateSchema = z.strictObject({
  method: method.default("POST"),
  path,
  /** `json`: a JSON object; `form`: `application/x-www-form-urlencoded` with `a[b]` for nested keys (Stripe). */
  body: z.enum(["json", "form"]),
  /** The fields the vendor lets us change; each is written where its pointer says. */
  fields: z.array(z.string().min(1)).min(1),
});

const resourceSchema = z.strictObject({
  description: z.string().optional(),
  /** The field that identifies a record in `delete` and `update` paths. */
  id: z.string().min(1).default("id"),
  /** Field name (as the dataset names it) → JSON pointer into a record. */
  fields: z.record(z.string().min(1), pointer),
  /** Field name → how to find the records whose field holds a value. */
  find: z.record(z.string().min(1), findSchema).default({}),
  delete: deleteSchema.optional(),
  update: updateSchema.optional(),
});

export const httpSpecSchema = z
  .strictObject({
    vendor: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "must be lower-case letters, digits, '_' or '-'"),
    name: z.string().min(1),
    /** Where the vendor documents the API this spec follows (for the reader; never fetched). */
    documentation: z.url().optional(),
    /** Used when the connection URL is empty; a connection URL replaces it (a proxy, a local fake). */
    base_url: z.url(),
    auth: authSchema,
    rate_limit: z.strictObject({ requests_per_second: z.number().positive() }).default({ requests_per_second: 10 }),
    retry: z
      .strictObject({
        max_attempts: z.int().min(1).max(10),
        initial_delay_ms: z.int().min(0),
        max_delay_ms: z.int().min(0),
      })
      .default({ max_attempts: 4, initial_delay_ms: 500, max_delay_ms: 30_000 }),
    timeout_ms: z.int().positive().default(30_000),
    resources: z.record(z.string().min(1), resourceSchema),
  })
  .superRefine((spec, ctx) => {
    const issue = (at: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path: at, message });
    if (spec.auth.type === "basic" && (spec.auth.token === undefined) === (spec.auth.username === undefined))
      issue(["auth"], "needs either `token` (a ready-made key) or `username` (+ `password`), not both");
    for (const [name, r] of Object.entries(spec.resources)) {
      const at = ["resources", name];
      const known = (field: string) => field in r.fields;
      if (!known(r.id)) issue([...at, "id"], `names no field of \`fields\` (${Object.keys(r.fields).join(", ")})`);
      for (const [field, find] of Object.entries(r.find)) {
        if (!known(field)) issue([...at, "find", field], "is not a field of `fields`: records are matched on it");
        const uses = find.path + Object.values(find.query).join("");
        if (!uses.includes("{value}")) issue([...at, "find", field], "must use {value} in `path` or `query`");
        placeholders(find.path, "value", (p) => issue([...at, "find", field, "path"], p));
      }
      if (r.delete) placeholders(r.delete.path, "id", (p) => issue([...at, "delete", "path"], p), true);
      if (r.update) {
        placeholders(r.update.path, "id", (p) => issue([...at, "update", "path"], p), true);
        r.update.fields.forEach((f, i) => {
          if (!known(f)) issue([...at, "update", "fields", i], "is not a field of `fields`");
        });
      }
    }
  });

/** Reports a `{…}` other than `{allowed}`, or a missing `{allowed}` when it is required. */
function placeholders(text: string, allowed: string, report: (message: string) => void, required = false): void {
  for (const [, name] of text.matchAll(/\{([^}]*)\}/g))
    if (name !== allowed) report(`uses {${name}}; only {${allowed}} is replaced here`);
  if (required && !text.includes(`{${allowed}}`)) report(`must hold {${allowed}}`);
}

export type HttpSpec = z.output<typeof httpSpecSchema>;
export type ResourceSpec = HttpSpec["resources"][string];
export type FindSpec = ResourceSpec["find"][string];
export type DeleteSpec = NonNullable<ResourceSpec["delete"]>;
export type UpdateSpec = NonNullable<ResourceSpec["update"]>;
export type PaginationSpec = NonNullable<FindSpec["pagination"]>;
export type AuthSpec = HttpSpec["auth"];
