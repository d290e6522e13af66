/** Every German message; the types hold each part to the English keys. */
import { ADMIN_DE } from "./de/admin.ts";
import { CENTER_DE } from "./de/center.ts";
import { COMMON_DE } from "./de/common.ts";
import { NOTICE_DE } from "./de/notice.ts";
import { REQUESTS_DE } from "./de/requests.ts";
import type { MessageKey } from "./messages-en.ts";

export const DE: Readonly<Record<MessageKey, string>> = {
  ...COMMON_DE,
  ...REQUESTS_DE,
  ...CENTER_DE,
  ...ADMIN_DE,
  ...NOTICE_DE,
};
