/**
 * `npm run bench:ingest`: telemetry ingest throughput end to end (target: >= 100,000 records/s
 * on SQLite), against a baseline measured in the same run on the same machine.
 *
 * Ours: `trainguard serve` as a child process (the real Monitor, SQLite in a temp home),
 * BENCH_CLIENTS (4) concurrent HTTP clients (node:http, kept-alive connections) posting
 * BENCH_RECORDS (200,000) realistic records (4 ranks, every field of docs/monitor.md, ~680
 * bytes) in batches of BENCH_BATCH (5,000), as `{"records": [...]}` and as NDJSON, each client
 * one rank's records in step order; records/s from the first request to the last answer.
 * Baseline: the same rows inserted straight into a SQLite table with the same columns and index
 * (better-sqlite3, one prepared INSERT, one transaction per batch, WAL, synchronous=FULL).
 * Each figure is the median of BENCH_ROUNDS (5) rounds, after an untimed warm-up of two batches
 * per rank in each format; every round uses new run ids.
 *
 * The server stores one chunk per run per request (docs/server.md, Telemetry and alerts); the
 * baseline stays the row-per-record design's storage alone, with no parsing and no detectors, so
 * the ratio shows what the whole server path costs against it.
 *
 * PostgreSQL ($TRAINGUARD_BENCH_PG, default postgres://postgres@127.0.0.1:5432/test) is measured
 * the same way when reachable (BENCH_PG=0 skips it); its baseline is one `unnest` INSERT per
 * batch. A table of every figure closes the output.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import Database from "better-sqlite3";
import pg from "pg";
import { spawnServer } from "../src/server/test-support/child-server.js";
import { sampleStepRecord } from "../src/server/test-support/sample-telemetry.js";
import { createToken } from "../src/server/tokens.js";
import { openStore } from "../src/store/index.js";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const BATCH = Number(process.env.BENCH_BATCH ?? 5000);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Untimed batches per rank in each format before the rounds. */
const WARM_BATCHES = 2;
const RANKS = 4;
const TARGET = 100_000;
/** BENCH_DETECTORS=0: a server whose Monitor raises nothing (the path without the detectors). */
const DETECTORS = process.env.BENCH_DETECTORS !== "0";
const SILENT_SERVER = fileURLToPath(new URL("./ingest-server.ts", import.meta.url));
const PG_BASE = process.env.TRAINGUARD_BENCH_PG ?? "postgres://postgres@127.0.0.1:5432/test";

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * One round's records as JSON lines, one stream per rank (each rank's steps in order, as an
 * agent per rank sends them): `streams[rank]` holds `steps` (RECORDS / RANKS) lines.
 */
function roundStreams(run: string, steps = Math.ceil(RECORDS / RANKS)): string[][] {
  return Array.from({ length: RANKS }, (_, rank) =>
    Array.from({ length: steps }, (_, step) => JSON.stringify(sampleStepRecord(run, rank, step))),
  );
}

/**
 * The request bodies of one rank's lines, as Buffers: off the JS heap, so the clients' garbage
 * collector does not mark hundreds of MB of body strings while they post (in one trial the
 * bench process's GC threads took a quarter of the machine's CPU from the server under test).
 */
function batches(lines: readonly string[], kind: "json" | "ndjson"): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < lines.length; i += BATCH) {
    const part = lines.slice(i, i + BATCH);
    out.push(
      Buffer.from(kind === "json" ? `{"records":[${part.join(",")}]}` : `${part.join("\n")}\n`),
    );
  }
  return out;
}

/**
 * One POST over a kept-alive connection (node:http). The clients share the server's two cores,
 * so they are as light as a client can be: in a trial on this machine, fetch (undici) spent 2 to
 * 4 times the CPU of node:http posting the same 3 MB bodies, CPU the server under test lost.
 */
function postOnce(
  agent: Agent,
  url: URL,
  token: string,
  type: string,
  body: Buffer,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": type,
          "content-length": body.length,
        },
      },
      (response) => {
        const parts: Buffer[] = [];
        response.on("data", (part: Buffer) => parts.push(part));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(parts).toString("utf8");
          if (response.statusCode === 200) resolve(text);
          else reject(new Error(`ingest failed (${response.statusCode}): ${text.slice(0, 300)}`));
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * Each client posts one rank's batches in order (client k takes streams k, k + CLIENTS, …), so
 * every rank's records arrive in step order, as they would from one agent per rank.
 */
async function post(server: Target, streams: readonly Buffer[][], type: string) {
  const endpoint = new URL("/v1/telemetry", server.url);
  const client = async (k: number) => {
    for (let s = k; s < streams.length; s += CLIENTS) {
      for (const body of streams[s]!) {
        const text = await postOnce(server.agent, endpoint, server.token, type, body);
        const answer = JSON.parse(text) as { alerts: unknown[]; suppressed: number };
        alertsSeen += answer.alerts.length + answer.suppressed;
      }
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, k) => client(k)));
  return (performance.now() - start) / 1000;
}

/** The server under test, and the clients' connections to it. */
interface Target {
  readonly url: string;
  readonly token: string;
  readonly agent: Agent;
}

let alertsSeen = 0;

/**
 * A full collection of the bench's own heap, run before each timed phase: making a round's
 * records leaves hundreds of MB of garbage, and collecting it while the clients post took CPU
 * from the server (the first format of each round measured up to a fifth lower than the second).
 */
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

interface Row {
  run: string;
  rank: number;
  step: number;
  time: number;
  body: string;
}

function rowsOf(lines: readonly string[]): Row[] {
  return lines.map((body) => {
    const r = JSON.parse(body) as { run: string; rank: number; step: number; time: number };
    return { run: r.run, rank: r.rank, step: r.step, time: r.time, body };
  });
}

const COLUMNS = `id INTEGER PRIMARY KEY AUTOINCREMENT, run TEXT NOT NULL, rank INTEGER NOT NULL,
  type TEXT NOT NULL, step INTEGER, time REAL, received_at INTEGER NOT NULL, principal TEXT NOT NULL,
  body TEXT NOT NULL`;

/** Records/s of a plain prepared INSERT per row, one transaction per batch. */
function sqliteBaseline(home: string, rows: readonly Row[]): number {
  const db = new Database(join(home, "baseline.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec(
    `CREATE TABLE IF NOT EXISTS t (${COLUMNS}); CREATE INDEX IF NOT EXISTS t_run ON t (run, id)`,
  );
  const insert = db.prepare(
    "INSERT INTO t (run, rank, type, step, time, received_at, principal, body) VALUES (?, ?, 'step', ?, ?, ?, 'bench', ?)",
  );
  const batch = db.transaction((part: readonly Row[], now: number) => {
    for (const r of part) insert.run(r.run, r.rank, r.step, r.time, now, r.body);
  });
  const start = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) batch(rows.slice(i, i + BATCH), Date.now());
  const seconds = (performance.now() - start) / 1000;
  db.close();
  return rows.length / seconds;
}

async function pgBaseline(url: string, rows: readonly Row[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `CREATE TABLE IF NOT EXISTS t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, run text NOT NULL,
     rank integer NOT NULL, type text NOT NULL, step bigint, time double precision,
     received_at bigint NOT NULL, principal text NOT NULL, body text NOT NULL)`,
  );
  await client.query("CREATE INDEX IF NOT EXISTS t_run ON t (run, id)");
  const start = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) {
    const part = rows.slice(i, i + BATCH);
    await client.query(
      `INSERT INTO t (run, rank, type, step, time, received_at, principal, body)
       SELECT run, rank, 'step', step, time, $5, 'bench', body
       FROM unnest($1::text[], $2::int4[], $3::int8[], $4::float8[], $6::text[]) AS u(run, rank, step, time, body)`,
      [
        part.map((r) => r.run),
        part.map((r) => r.rank),
        part.map((r) => r.step),
        part.map((r) => r.time),
        Date.now(),
        part.map((r) => r.body),
      ],
    );
  }
  const seconds = (performance.now() - start) / 1000;
  await client.end();
  return rows.length / seconds;
}

interface Result {
  json: number;
  ndjson: number;
  baseline: number;
}

async function benchTarget(name: string, home: string, dbUrl: string | undefined): Promise<Result> {
  const args = [
    "--home",
    home,
    "--log-level",
    "warn",
    ...(dbUrl === undefined ? [] : ["--db", dbUrl]),
  ];
  const server = await spawnServer(args, DETECTORS ? undefined : SILENT_SERVER);
  const results = { json: [] as number[], ndjson: [] as number[], baseline: [] as number[] };
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    const store = await openStore({ home, ...(dbUrl === undefined ? {} : { url: dbUrl }) });
    const { token } = await createToken(store, { principal: "bench" });
    const target: Target = { url: server.url, token, agent };
    await store.close();
    // Warm-up, not timed: WARM_BATCHES batches per rank in each format, so the rounds measure
    // a server that has been running (JIT, heap sizes, prepared statements, connection pools).
    for (const kind of ["json", "ndjson"] as const) {
      const type = kind === "json" ? "application/json" : "application/x-ndjson";
      const warm = roundStreams(`${name}-warmup-${kind}`, WARM_BATCHES * BATCH);
      await post(
        target,
        warm.map((lines) => batches(lines, kind)),
        type,
      );
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ["json", "ndjson"] as const) {
        const run = `${name}-${kind}-${round}-${randomBytes(3).toString("hex")}`;
        // The record strings are dropped before posting; only the bodies' Buffers stay.
        const bodies = roundStreams(run).map((lines) => batches(lines, kind));
        const records = RANKS * Math.ceil(RECORDS / RANKS);
        const type = kind === "json" ? "application/json" : "application/x-ndjson";
        collectGarbage();
        const seconds = await post(target, bodies, type);
        results[kind].push(records / seconds);
      }
      const rows = rowsOf(roundStreams(`${name}-baseline-${round}`).flat());
      collectGarbage();
      results.baseline.push(
        dbUrl === undefined ? sqliteBaseline(home, rows) : await pgBaseline(dbUrl, rows),
      );
      console.log(
        `  round ${round + 1}: json ${fmt(results.json.at(-1)!)}/s, ndjson ${fmt(results.ndjson.at(-1)!)}/s, baseline ${fmt(results.baseline.at(-1)!)}/s`,
      );
    }
  } finally {
    agent.destroy();
    server.child.kill("SIGTERM");
    await server.exited;
  }
  return {
    json: median(results.json),
    ndjson: median(results.ndjson),
    baseline: median(results.baseline),
  };
}

const table: string[] = [];

function report(name: string, r: Result): void {
  for (const kind of ["ndjson", "json"] as const) {
    table.push(
      `| ${name} | ${kind.toUpperCase()} | ${fmt(r[kind])} | ${fmt(r.baseline)} | ${(r[kind] / r.baseline).toFixed(2)} |`,
    );
  }
  const best = Math.max(r.json, r.ndjson);
  console.log(`${name}: median of ${ROUNDS} rounds, ${fmt(RECORDS)} records each`);
  console.log(`  POST /v1/telemetry JSON    ${fmt(r.json).padStart(9)} records/s`);
  console.log(`  POST /v1/telemetry NDJSON  ${fmt(r.ndjson).padStart(9)} records/s`);
  console.log(`  baseline plain insert      ${fmt(r.baseline).padStart(9)} records/s`);
  if (DETECTORS) console.log(`  alerts raised by the real Monitor so far: ${fmt(alertsSeen)}`);
  console.log(
    `  ratio ours/baseline: JSON ${(r.json / r.baseline).toFixed(2)}, NDJSON ${(r.ndjson / r.baseline).toFixed(2)}`,
  );
  if (name === "sqlite") {
    const met = best >= TARGET ? "met" : "MISSED";
    console.log(`  target >= ${fmt(TARGET)} records/s end to end: ${met} (${fmt(best)})`);
  }
}

const sample = JSON.stringify(sampleStepRecord("bench-run-0001", 3, 12345));
console.log(
  `bench:ingest on ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), ${CLIENTS} clients, batches of ${fmt(BATCH)}, ~${sample.length} bytes per record, detectors ${DETECTORS ? "on" : "OFF (BENCH_DETECTORS=0)"}`,
);

const sqliteHome = mkdtempSync(join(tmpdir(), "tg-bench-ingest-"));
try {
  report("sqlite", await benchTarget("sqlite", sqliteHome, undefined));
} finally {
  rmSync(sqliteHome, { recursive: true, force: true });
}

const pgName = `tg_bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 3000 });
let pgReady = false;
if (process.env.BENCH_PG === "0") {
  console.log("postgres: skipped (BENCH_PG=0)");
} else {
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pgName}`);
    pgReady = true;
  } catch (error) {
    console.log(`postgres: skipped, not reachable at ${PG_BASE}: ${(error as Error).message}`);
  }
}
if (pgReady) {
  const url = new URL(PG_BASE);
  url.pathname = `/${pgName}`;
  const home = mkdtempSync(join(tmpdir(), "tg-bench-ingest-pg-"));
  try {
    report("postgres", await benchTarget("postgres", home, url.toString()));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
    rmSync(home, { recursive: true, force: true });
  }
}
await admin.end().catch(() => undefined);

console.log(
  `\nmedian records/s, ${ROUNDS} rounds of ${fmt(RECORDS)} records, batches of ${fmt(BATCH)}`,
);
console.log("| store | body | POST /v1/telemetry | plain per-record insert | ratio |");
console.log("|---|---|---:|---:|---:|");
for (const line of table) console.log(line);
