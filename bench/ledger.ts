/**
 * `npm run bench:ledger`: ledger throughput and proof latency (issue 4 targets: >= 10,000
 * appends/s on SQLite, >= 5,000 on PostgreSQL, proofs < 5 ms), each against a baseline measured
 * in the same run on the same database.
 *
 * 1. Appends/s through the HTTP API: `trainguard serve` as a child process, BENCH_CLIENTS (4)
 *    concurrent clients posting batches of BENCH_BATCH (1,000) events, BENCH_EVENTS (100,000)
 *    in all. Baseline: a plain batched INSERT of the same canonical event bytes into a scratch
 *    table of the same database (1,000 rows per statement, one transaction per batch).
 * 2. Proof latency at BENCH_PROOF_SIZE (1,000,000) entries: the log is built through the store
 *    directly, then BENCH_PROOFS (1,000) inclusion and consistency proofs are fetched over HTTP
 *    (keep-alive); median and p99.
 *
 * PostgreSQL: $TRAINGUARD_BENCH_PG (default postgres://postgres@127.0.0.1:5432/test); a fresh
 * database per run, dropped afterwards. Skipped with a message when unreachable.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { eventBytes, recordEvent } from "../src/events/index.js";
import { spawnServer } from "../src/server/test-support/child-server.js";
import { sampleEvent } from "../src/server/test-support/test-server.js";
import { createToken } from "../src/server/tokens.js";
import { ledgerAppendPlan, openStore, SQLITE_FILE_NAME } from "../src/store/index.js";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const PROOF_SIZE = Number(process.env.BENCH_PROOF_SIZE ?? 1_000_000);
const PROOFS = Number(process.env.BENCH_PROOFS ?? 1000);
const PG_BASE = process.env.TRAINGUARD_BENCH_PG ?? "postgres://postgres@127.0.0.1:5432/test";
/** Rows per store append while building the big log (the store takes up to 100,000). */
const BUILD_BATCH = 20_000;

interface Target {
  readonly name: "sqlite" | "postgres";
  readonly home: string;
  readonly url?: string;
  /** Runs the baseline: inserts `rows` into a scratch table in batches; returns seconds. */
  baseline(rows: readonly Uint8Array[]): Promise<number>;
  drop(): Promise<void>;
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

function sqliteTarget(): Target {
  const home = mkdtempSync(join(tmpdir(), "tg-bench-sqlite-"));
  return {
    name: "sqlite",
    home,
    async baseline(rows) {
      // The same pragmas as the store (WAL, synchronous=FULL): the same durability per commit.
      const db = new Database(join(home, SQLITE_FILE_NAME));
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      db.exec(
        "CREATE TABLE IF NOT EXISTS bench_scratch (idx INTEGER PRIMARY KEY, entry BLOB NOT NULL)",
      );
      const insert = db.prepare(
        `INSERT INTO bench_scratch (idx, entry) VALUES ${Array.from({ length: BATCH }, () => "(?, ?)").join(",")}`,
      );
      const start = performance.now();
      for (let i = 0; i + BATCH <= rows.length; i += BATCH) {
        const params = rows.slice(i, i + BATCH).flatMap((row, j) => [i + j, Buffer.from(row)]);
        db.transaction(() => insert.run(params))();
      }
      const elapsed = (performance.now() - start) / 1000;
      db.close();
      return elapsed;
    },
    async drop() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function postgresTarget(): Promise<Target | string> {
  const name = `tg_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    return `PostgreSQL not reachable at ${PG_BASE}: ${(error as Error).message}`;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(PG_BASE);
  url.pathname = `/${name}`;
  const home = mkdtempSync(join(tmpdir(), "tg-bench-pg-"));
  return {
    name: "postgres",
    home,
    url: url.toString(),
    async baseline(rows) {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      await client.query(
        "CREATE TABLE IF NOT EXISTS bench_scratch (idx bigint PRIMARY KEY, entry bytea NOT NULL)",
      );
      const sql = `INSERT INTO bench_scratch (idx, entry) VALUES ${Array.from({ length: BATCH }, (_, j) => `($${2 * j + 1}, $${2 * j + 2})`).join(",")}`;
      const start = performance.now();
      for (let i = 0; i + BATCH <= rows.length; i += BATCH) {
        const params = rows.slice(i, i + BATCH).flatMap((row, j) => [i + j, Buffer.from(row)]);
        await client.query("BEGIN");
        await client.query(sql, params);
        await client.query("COMMIT");
      }
      const elapsed = (performance.now() - start) / 1000;
      await client.end();
      return elapsed;
    },
    async drop() {
      const c = new pg.Client({ connectionString: PG_BASE });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function serverArgs(target: Target): string[] {
  return [
    "--home",
    target.home,
    "--log-level",
    "warn",
    ...(target.url === undefined ? [] : ["--db", target.url]),
  ];
}

async function newToken(target: Target): Promise<string> {
  const store = await openStore({
    home: target.home,
    ...(target.url === undefined ? {} : { url: target.url }),
  });
  try {
    return (await createToken(store, { principal: "bench" })).token;
  } finally {
    await store.close();
  }
}

/** Appends/s through POST /v1/events. */
async function benchAppends(target: Target): Promise<number> {
  const server = await spawnServer(serverArgs(target));
  try {
    const token = await newToken(target);
    const bodies = Array.from({ length: Math.ceil(EVENTS / BATCH) }, (_, b) =>
      JSON.stringify({
        events: Array.from({ length: BATCH }, (_, i) => sampleEvent(b * BATCH + i)),
      }),
    );
    let next = 0;
    const client = async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const response = await fetch(`${server.url}/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body,
        });
        if (response.status !== 200) throw new Error(`append failed: ${await response.text()}`);
        await response.arrayBuffer();
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, client));
    return (bodies.length * BATCH) / ((performance.now() - start) / 1000);
  } finally {
    server.child.kill("SIGTERM");
    await server.exited;
  }
}

/** The same rows the API would store, for the baseline. */
function canonicalRows(count: number): Uint8Array[] {
  const time = Date.now();
  return Array.from({ length: count }, (_, i) =>
    eventBytes(
      recordEvent(sampleEvent(i) as never, { principal: "bench", tokenId: "0".repeat(16), time }),
    ),
  );
}

/** Grows the log to PROOF_SIZE entries through the store; returns seconds. */
async function buildLog(target: Target): Promise<number> {
  const store = await openStore({
    home: target.home,
    ...(target.url === undefined ? {} : { url: target.url }),
  });
  try {
    const start = performance.now();
    for (let size = await store.ledgerSize(); size < PROOF_SIZE; ) {
      const count = Math.min(BUILD_BATCH, PROOF_SIZE - size);
      const entries = Array.from({ length: count }, (_, i) => Buffer.from(`{"bench":${size + i}}`));
      size = (await store.appendEntries(entries, ledgerAppendPlan)).size;
    }
    return (performance.now() - start) / 1000;
  } finally {
    await store.close();
  }
}

async function benchProofs(
  target: Target,
): Promise<{ startup: number; inclusion: number[]; consistency: number[] }> {
  const started = performance.now();
  const server = await spawnServer(serverArgs(target));
  const startup = (performance.now() - started) / 1000;
  try {
    const token = await newToken(target);
    const headers = { authorization: `Bearer ${token}` };
    const time = async (path: string) => {
      const start = performance.now();
      const response = await fetch(`${server.url}${path}`, { headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
      return performance.now() - start;
    };
    const random = (n: number) => Math.floor(Math.random() * n);
    for (let i = 0; i < 50; i++)
      await time(`/v1/proof/inclusion?index=${random(PROOF_SIZE)}&size=${PROOF_SIZE}`);
    const inclusion: number[] = [];
    const consistency: number[] = [];
    for (let i = 0; i < PROOFS; i++) {
      inclusion.push(
        await time(`/v1/proof/inclusion?index=${random(PROOF_SIZE)}&size=${PROOF_SIZE}`),
      );
      consistency.push(
        await time(`/v1/proof/consistency?old=${1 + random(PROOF_SIZE - 1)}&new=${PROOF_SIZE}`),
      );
    }
    return {
      startup,
      inclusion: inclusion.sort((a, b) => a - b),
      consistency: consistency.sort((a, b) => a - b),
    };
  } finally {
    server.child.kill("SIGTERM");
    await server.exited;
  }
}

async function run(target: Target): Promise<void> {
  const appends = await benchAppends(target);
  const baselineRows = canonicalRows(EVENTS);
  const baseline = EVENTS / (await target.baseline(baselineRows));
  const goal = target.name === "sqlite" ? 10_000 : 5_000;
  console.log(
    `${target.name}: appends through HTTP ${fmt(appends)}/s (target ${fmt(goal)}: ${appends >= goal ? "met" : "MISSED"})`,
  );
  console.log(
    `${target.name}: plain batched INSERT baseline ${fmt(baseline)} rows/s; API / baseline = ${(appends / baseline).toFixed(2)}`,
  );
  const built = await buildLog(target);
  console.log(
    `${target.name}: built a ${fmt(PROOF_SIZE)}-entry log through the store in ${built.toFixed(1)} s`,
  );
  const proofs = await benchProofs(target);
  console.log(
    `${target.name}: server start-up with verification of ${fmt(PROOF_SIZE)} entries: ${proofs.startup.toFixed(1)} s`,
  );
  for (const [name, samples] of [
    ["inclusion", proofs.inclusion],
    ["consistency", proofs.consistency],
  ] as const) {
    const median = quantile(samples, 0.5);
    const p99 = quantile(samples, 0.99);
    const verdict = (ms: number) => (ms < 5 ? "met" : "MISSED");
    console.log(
      `${target.name}: ${name} proof at ${fmt(PROOF_SIZE)} over HTTP: median ${median.toFixed(2)} ms (< 5 ms: ${verdict(median)}, ${(5 / median).toFixed(1)}x), p99 ${p99.toFixed(2)} ms (< 5 ms: ${verdict(p99)})`,
    );
  }
}

console.log(
  `bench:ledger on ${cpus().length} CPUs (load ${loadavg()[0]!.toFixed(2)}), ${CLIENTS} clients, ${BATCH} events per request, ${fmt(EVENTS)} events`,
);
for (const make of [async () => sqliteTarget(), postgresTarget]) {
  const target = await make();
  if (typeof target === "string") {
    console.log(`postgres: skipped (${target})`);
    continue;
  }
  try {
    await run(target);
  } finally {
    await target.drop();
  }
}
