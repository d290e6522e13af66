/**
 * The job queue on the embedded store: a worker that found a job looks for the next one at once, instead of waiting
 * out the polling interval after every job (pg-boss's own loop does, which capped a busy worker at one job per
 * interval). With an interval of an hour, three queued jobs are all taken only if the worker does not wait.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobQueue } from "../../src/jobs/job-queue.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";

let store: Store;
let jobs: JobQueue;

beforeAll(async () => {
  store = await openStore({ inMemory: true });
  jobs = await JobQueue.start(store, { pollSeconds: 3600, maintenanceSeconds: 3600, schedule: false });
}, 60_000);

afterAll(async () => {
  await jobs?.stop(5);
  await store?.close();
});

describe("JobQueue.work", () => {
  it("takes queued jobs back to back, without waiting the polling interval between them", async () => {
    for (const n of [1, 2, 3]) await jobs.send("request.mail", { n });
    const taken: number[] = [];
    let allTaken: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      allTaken = resolve;
    });
    await jobs.work<{ n: number }>("request.mail", async ({ n }) => {
      taken.push(n);
      if (taken.length === 3) allTaken();
    });
    await done;
    expect(taken.sort()).toEqual([1, 2, 3]);
  }, 60_000);
});
