#!/usr/bin/env node
// `npx steward …` works straight after `npm ci`, with no build step: tsx compiles the TypeScript sources on load.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
