/**
 * Part 1 of the `dsr` benchmark: erasure of the same learners by the hand-written SQL script (the databases one after
 * the other — the reference — and both at the same time), by Steward in batch mode with its default keys per
 * statement, and by Steward with 10,000 keys per statement (`--batch-size 10000`, the most the PostgreSQL connector
 * takes in one statement). Each round copies the seeded base once per side, runs the sides in an order that rotates
 * from round to round, and then requires the four end states to be identical.
 */
import { performance } from "node:perf_hooks";
import type { Manifest } from "../src/manifest/types.ts";
import { copyPair, type DemoPair, dropPair, pairNamed } from "./dsr-databases.ts";
import { assertSameEndState } from "./dsr-end-state.ts";
import { handErasure, handErasureParallel } from "./dsr-hand-erasure.ts";
import { type BatchRun, stewardBatch } from "./dsr-steward.ts";

/** Keys per statement of the tuned Steward side. */
export const TUNED_BATCH_SIZE = 10_000;

export interface ErasureRounds {
  readonly hand: number[];
  /** The hand-written script with both databases written at the same time. */
  readonly hand_parallel: number[];
  readonly steward: BatchRun[];
  readonly tuned: BatchRun[];
}

type SideName = keyof ErasureRounds;
const SIDES: readonly SideName[] = ["hand", "steward", "hand_parallel", "tuned"];

export async function erasureRounds(
  manifest: Manifest,
  base: DemoPair,
  emails: readonly string[],
  rounds: number,
  track: { add(pair: DemoPair): void; delete(pair: DemoPair): void },
  log: (line: string) => void,
): Promise<ErasureRounds> {
  const out: ErasureRounds = { hand: [], hand_parallel: [], steward: [], tuned: [] };
  for (let round = 1; round <= rounds; round++) {
    const pairs = Object.fromEntries(SIDES.map((s) => [s, pairNamed(`r${round}_${s}`)])) as Record<SideName, DemoPair>;
    let t = performance.now();
    for (const pair of Object.values(pairs)) {
      track.add(pair);
      await copyPair(base, pair);
    }
    log(`round ${round}: copies ready in ${Math.round(performance.now() - t)} ms`);
    const order = SIDES.map((_, i) => SIDES[(i + round - 1) % SIDES.length]!);
    for (const side of order) {
      if (side === "hand" || side === "hand_parallel") {
        const script = side === "hand" ? handErasure : handErasureParallel;
        t = performance.now();
        await script(pairs[side].pgUrl, pairs[side].myUrl, emails);
        out[side].push(Math.round(performance.now() - t));
        continue;
      }
      const run = await stewardBatch(manifest, pairs[side], emails, side === "tuned" ? TUNED_BATCH_SIZE : undefined);
      if (!run.complete) throw new Error(`round ${round}: Steward's erasure proof (${side}) is not complete`);
      out[side].push(run);
    }
    log(
      `round ${round} (${order.join(", ")}): hand ${out.hand.at(-1)} ms, hand in parallel ` +
        `${out.hand_parallel.at(-1)} ms, Steward ${out.steward.at(-1)?.ms} ms, ` +
        `Steward --batch-size ${TUNED_BATCH_SIZE} ${out.tuned.at(-1)?.ms} ms`,
    );
    t = performance.now();
    await assertSameEndState({ label: "the hand-written script", pair: pairs.hand }, [
      { label: "the hand-written script, in parallel", pair: pairs.hand_parallel },
      { label: "Steward", pair: pairs.steward },
      { label: `Steward --batch-size ${TUNED_BATCH_SIZE}`, pair: pairs.tuned },
    ]);
    log(`round ${round}: identical end states (checked in ${Math.round(performance.now() - t)} ms)`);
    for (const pair of Object.values(pairs)) {
      await dropPair(pair);
      track.delete(pair);
    }
  }
  return out;
}
