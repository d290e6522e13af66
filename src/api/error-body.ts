import { z } from "zod";

/** The body of every error answer (see error-handler.ts); declared on routes so that /docs shows it. */
export const errorBody = z
  .object({
    code: z.string().describe("Stable error code from docs/errors.md, e.g. STW_API_NOT_FOUND"),
    message: z.string().describe("What is wrong, the allowed values and what to do"),
    location: z.object({ file: z.string(), line: z.number().optional(), column: z.number().optional() }).optional(),
  })
  .describe("A coded error");
