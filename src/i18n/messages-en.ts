/** Every English message, the reference catalogue: its keys are the keys every other locale must have. */
import { ADMIN_EN } from "./en/admin.ts";
import { CENTER_EN } from "./en/center.ts";
import { COMMON_EN } from "./en/common.ts";
import { NOTICE_EN } from "./en/notice.ts";
import { REQUESTS_EN } from "./en/requests.ts";

export const EN = { ...COMMON_EN, ...REQUESTS_EN, ...CENTER_EN, ...ADMIN_EN, ...NOTICE_EN } as const;
export type MessageKey = keyof typeof EN;
