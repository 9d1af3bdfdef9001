/**
 * Reliability, with real processes: SIGKILL in the middle of a write load loses nothing that was
 * acknowledged and keeps the tree consistent with every checkpoint published before the kill;
 * SIGTERM drains in-flight requests and exits 0; two servers on one PostgreSQL database append
 * concurrently into one consistent tree. Proofs are checked with the independent RFC 9162 code.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { openCheckpoint, parseVerifierKey } from "../ledger/index.js";
import { openStore, type Store } from "../store/index.js";
import { testDialects } from "../store/test-support/dialects.js";
import { LOG_KEY_FILE, readLogKey } from "./log-key.js";
import { type ChildServer, spawnServer } from "./test-support/child-server.js";
import { checkConsistency, leafOf, mth } from "./test-support/rfc9162.js";
import { sampleEvent } from "./test-support/test-server.js";
import { createToken } from "./tokens.js";

interface Head {
  readonly size: number;
  readonly root: Buffer;
}

/** What clients saw: acknowledged (index -> event number) and every checkpoint head. */
interface Observed {
  readonly acked: Map<number, number>;
  readonly heads: Map<number, Head>;
}

async function newToken(options: { home: string; url?: string }): Promise<string> {
  const store: Store = await openStore(
    options.url === undefined ? { home: options.home } : { url: options.url, home: options.home },
  );
  try {
    return (await createToken(store, { principal: "load" })).token;
  } finally {
    await store.close();
  }
}

function auth(token: string) {
  return { authorization: `Bearer ${token}` };
}

/** Clients posting batches until `stop()`; failures after a kill are expected and ignored. */
function writeLoad(urls: readonly string[], token: string, observed: Observed, firstEvent: number) {
  let running = true;
  let next = firstEvent;
  const client = async (url: string) => {
    while (running) {
      const numbers = Array.from({ length: 25 }, () => next++);
      try {
        const response = await fetch(`${url}/v1/events`, {
          method: "POST",
          headers: { ...auth(token), "content-type": "application/json" },
          body: JSON.stringify({ events: numbers.map(sampleEvent) }),
        });
        if (response.status !== 200) continue;
        const { indexes } = (await response.json()) as { indexes: number[] };
        indexes.forEach((index, i) => {
          assert.ok(!observed.acked.has(index), `index ${index} acknowledged twice`);
          observed.acked.set(index, numbers[i]!);
        });
      } catch {
        // The server was killed mid-request: this batch was never acknowledged.
      }
    }
  };
  const poll = async (url: string) => {
    while (running) {
      try {
        const note = await (await fetch(`${url}/checkpoint`, { headers: auth(token) })).text();
        const [, size, root] = note.split("\n");
        observed.heads.set(Number(size), {
          size: Number(size),
          root: Buffer.from(root!, "base64"),
        });
      } catch {
        // Killed.
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const tasks = [...urls.flatMap((url) => [client(url), client(url)]), ...urls.map(poll)];
  return async () => {
    running = false;
    await Promise.all(tasks);
  };
}

/** Every acknowledged event is at its index; every head seen is consistent with the final tree. */
async function checkLedger(
  url: string,
  token: string,
  home: string,
  observed: Observed,
): Promise<number> {
  const logKey = parseVerifierKey((await readLogKey(home)).verifierKey);
  const expected = Math.max(0, ...[...observed.acked.keys()].map((i) => i + 1));
  let note = "";
  for (let tries = 0; tries < 200; tries++) {
    note = await (await fetch(`${url}/checkpoint`, { headers: auth(token) })).text();
    if (Number(note.split("\n")[1]) >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const { checkpoint } = openCheckpoint(note, "trainguard.local/ledger", [logKey]);
  assert.ok(checkpoint.size >= expected, `checkpoint ${checkpoint.size} < ${expected}`);
  const leaves: Buffer[] = [];
  for (let i = 0; i < checkpoint.size; i++) {
    const raw = Buffer.from(
      await (await fetch(`${url}/v1/entries/${i}/raw`, { headers: auth(token) })).arrayBuffer(),
    );
    leaves.push(leafOf(raw));
    const n = observed.acked.get(i);
    if (n !== undefined) {
      const event = JSON.parse(raw.toString("utf8")) as { details: { n: number } };
      assert.equal(event.details.n, n, `entry ${i} is not the acknowledged event`);
    }
  }
  assert.ok(mth(leaves).equals(checkpoint.rootHash), "the entries hash to the checkpoint root");
  for (const head of observed.heads.values()) {
    if (head.size === 0) continue;
    assert.ok(mth(leaves.slice(0, head.size)).equals(head.root), `head ${head.size} is a prefix`);
    const response = await fetch(
      `${url}/v1/proof/consistency?old=${head.size}&new=${checkpoint.size}`,
      {
        headers: auth(token),
      },
    );
    const { hashes } = (await response.json()) as { hashes: string[] };
    const proof = hashes.map((h) => Buffer.from(h, "base64"));
    assert.ok(
      checkConsistency(head.size, checkpoint.size, head.root, checkpoint.rootHash, proof),
      `consistency ${head.size}`,
    );
  }
  return checkpoint.size;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await sleep(20);
}

describe("reliability (SQLite, real processes)", () => {
  it("SIGKILL mid-load loses no acknowledged append; SIGTERM drains and exits 0", {
    timeout: 120_000,
  }, async () => {
    const home = mkdtempSync(join(tmpdir(), "tg-kill-"));
    let server: ChildServer = await spawnServer(["--home", home, "--log-level", "warn"]);
    const token = await newToken({ home });
    const observed: Observed = { acked: new Map(), heads: new Map() };
    const stop = writeLoad([server.url], token, observed, 0);
    // Kill mid-load once the load is well under way (a busy machine may take longer to get there).
    await until(() => observed.acked.size >= 500 && observed.heads.size >= 3, 30_000);
    server.child.kill("SIGKILL");
    assert.equal(await server.exited, "SIGKILL");
    await stop();
    assert.ok(observed.acked.size > 100, `only ${observed.acked.size} appends before the kill`);
    assert.ok(observed.heads.size > 2, "several checkpoints were published under load");

    server = await spawnServer(["--home", home, "--log-level", "warn"]);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200, server.stderr());
    await checkLedger(server.url, token, home, observed);

    const more = writeLoad([server.url], token, observed, 1_000_000);
    await sleep(500);
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0, server.stderr());
    await more();
    server = await spawnServer(["--home", home, "--log-level", "warn"]);
    try {
      // Graceful: the final checkpoint already covers every acknowledged append.
      const note = await (await fetch(`${server.url}/checkpoint`, { headers: auth(token) })).text();
      const acked = Math.max(...observed.acked.keys()) + 1;
      assert.ok(Number(note.split("\n")[1]) >= acked);
      await checkLedger(server.url, token, home, observed);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });
});

const postgres = (await testDialects()).find((d) => d.dialect === "postgres")!;

describe("two servers on one PostgreSQL database", { skip: postgres.skip }, () => {
  it("append concurrently into one consistent tree", { timeout: 120_000 }, async () => {
    const db = await postgres.fresh();
    const url = db.options.url!;
    const homeA = mkdtempSync(join(tmpdir(), "tg-pg-a-"));
    const homeB = mkdtempSync(join(tmpdir(), "tg-pg-b-"));
    const a = await spawnServer(["--home", homeA, "--db", url, "--log-level", "warn"]);
    // Replicas share the log key; each keeps its own last-signed head.
    copyFileSync(join(homeA, LOG_KEY_FILE), join(homeB, LOG_KEY_FILE));
    const b = await spawnServer(["--home", homeB, "--db", url, "--log-level", "warn"]);
    try {
      const token = await newToken({ home: homeA, url });
      const observed: Observed = { acked: new Map(), heads: new Map() };
      const stop = writeLoad([a.url, b.url], token, observed, 0);
      await until(() => observed.acked.size >= 1000, 30_000);
      await stop();
      assert.ok(observed.acked.size > 100);
      const size = await checkLedger(a.url, token, homeA, observed);
      assert.equal(size, observed.acked.size, "no lost or duplicated entries");
      assert.equal((await fetch(`${b.url}/readyz`)).status, 200, b.stderr());
      assert.equal((await fetch(`${a.url}/readyz`)).status, 200, a.stderr());
    } finally {
      a.child.kill("SIGTERM");
      b.child.kill("SIGTERM");
      assert.equal(await a.exited, 0, a.stderr());
      assert.equal(await b.exited, 0, b.stderr());
      await db.drop();
    }
  });
});
