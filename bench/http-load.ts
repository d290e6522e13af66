/**
 * A small HTTP load generator for the consent benchmark, run as its own process so that it never shares an event
 * loop with the server it measures: `tsx bench/http-load.ts URL SECONDS CONNECTIONS` keeps CONNECTIONS keep-alive
 * connections busy with back-to-back GETs for SECONDS and prints {requests, rps, p50_ms, p99_ms, errors} as JSON.
 */
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";

const [url = "", seconds = "5", connections = "16"] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: Number(connections) });
const target = new URL(url);
const latencies: number[] = [];
let errors = 0;
const end = performance.now() + Number(seconds) * 1000;

function once(): Promise<void> {
  return new Promise((resolve) => {
    const t = performance.now();
    const req = request(
      { agent, host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: "GET" },
      (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode === 200) latencies.push(performance.now() - t);
          else errors += 1;
          resolve();
        });
      },
    );
    req.on("error", () => {
      errors += 1;
      resolve();
    });
    req.end();
  });
}

async function loop() {
  while (performance.now() < end) await once();
}

const started = performance.now();
await Promise.all(Array.from({ length: Number(connections) }, loop));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({
    requests: latencies.length,
    rps: Math.round(latencies.length / elapsed),
    p50_ms: Number(at(0.5).toFixed(3)),
    p99_ms: Number(at(0.99).toFixed(3)),
    errors,
  })}\n`,
);
agent.destroy();
