/** What every privacy-center page knows: the reader's words, the manifest, where the reader is and the current URL. */
import type { Translator } from "../../i18n/translate.ts";
import type { JurisdictionRights, Manifest } from "../../manifest/types.ts";
import type { Html } from "../html.ts";
import { type FieldError, type Frame, page } from "../layout.ts";

export interface CenterView {
  readonly t: Translator;
  readonly manifest: Manifest;
  /** The jurisdiction whose rights and choices the pages show. */
  readonly rights: JurisdictionRights;
  readonly url: string;
}

type Section = "home" | "request" | "choices" | "notice";

export function centerPage(
  v: CenterView,
  section: Section,
  title: string,
  main: Html,
  options: { errors?: readonly FieldError[]; script?: boolean } = {},
): string {
  const { t } = v;
  const org = v.manifest.organization?.name ?? "";
  const frame: Frame = {
    t,
    face: "center",
    brand: org ? `${org} · ${t.t("center.brand_suffix")}` : t.t("center.brand_suffix"),
    brandHref: "/",
    title,
    url: v.url,
    nav: [
      { href: "/", label: t.t("center.nav.home"), current: section === "home" },
      { href: "/request", label: t.t("center.nav.request"), current: section === "request" },
      { href: "/choices", label: t.t("center.nav.choices"), current: section === "choices" },
      { href: "/notice", label: t.t("center.nav.notice"), current: section === "notice" },
    ],
    ...(options.errors ? { errors: options.errors } : {}),
    ...(options.script ? { script: true } : {}),
  };
  return page(frame, main);
}
