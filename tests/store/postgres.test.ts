import { postgresBackend } from "./backends.ts";
import { runStoreCases } from "./store.case.ts";

runStoreCases({ backend: postgresBackend });
