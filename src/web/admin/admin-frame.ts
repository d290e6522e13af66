/** What every console page knows: the operator's words, the signed-in operator and the form token of the session. */
import type { AdminSession } from "../../auth/admin-sessions.ts";
import type { MessageKey, Translator } from "../../i18n/translate.ts";
import type { Manifest } from "../../manifest/types.ts";
import { type Html, html } from "../html.ts";
import { type FieldError, page } from "../layout.ts";

export interface ConsoleView {
  readonly t: Translator;
  readonly manifest: Manifest;
  readonly url: string;
  /** Absent on the sign-in page. */
  readonly session?: AdminSession;
}

type Section = "queue" | "consent" | "records" | "none";

/** The hidden field every form of the session carries. */
export const csrfField = (v: ConsoleView): Html =>
  html`<input type="hidden" name="csrf" value="${v.session?.csrf ?? ""}">`;

export function adminPage(
  v: ConsoleView,
  section: Section,
  title: string,
  main: Html,
  options: { errors?: readonly FieldError[] } = {},
): string {
  const { t } = v;
  const org = v.manifest.organization?.name ?? "Steward";
  const s = v.session;
  return page(
    {
      t,
      face: "admin",
      brand: t.t("admin.brand", { org }),
      brandHref: "/admin",
      title,
      url: v.url,
      nav: s
        ? [
            { href: "/admin", label: t.t("admin.nav.queue"), current: section === "queue" },
            { href: "/admin/consent", label: t.t("admin.nav.consent"), current: section === "consent" },
            { href: "/admin/records", label: t.t("admin.nav.records"), current: section === "records" },
          ]
        : [],
      ...(options.errors ? { errors: options.errors } : {}),
      script: true,
      ...(s
        ? {
            aside: html`<div class="who"><span>${t.t("admin.signed_in", {
              name: s.caller.name,
              role: t.t(`admin.role.${s.caller.role}` as MessageKey),
            })}</span><form method="post" action="/admin/sign-out">${csrfField(v)}<button type="submit">${t.t("admin.sign_out")}</button></form></div>`,
          }
        : {}),
    },
    main,
  );
}
