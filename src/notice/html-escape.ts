const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values alike. */
export const escapeHtml = (value: string): string => value.replaceAll(/[&<>"']/g, (c) => ENTITIES[c]!);

/** Only web, mail and in-page links become anchors; anything else (javascript:, data:) is shown as text. */
export const isSafeHref = (href: string): boolean => /^(https?:\/\/|mailto:|#)/i.test(href);
