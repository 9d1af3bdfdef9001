import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, rm, stat, utimes, writeFile } from "node:fs/promises";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { requestCheck, sendLine } from "./guard-client.js";
import { GuardError } from "./guard-error.js";
import { type GuardServer, startGuardServer } from "./guard-server.js";
import { type GuardErrorReply, type GuardReply, MAX_REQUEST_BYTES } from "./protocol.js";

/** `pickle.dumps([1, 2], protocol=2)` and `pickle.dumps` of a REDUCE of `posix.system('id')`. */
const CLEAN_PICKLE = Buffer.from("80025d7100284b014b02652e", "hex");
const EVIL_PICKLE = Buffer.from(
  "800263706f7369780a73797374656d0a71005802000000696471018571025271032e",
  "hex",
);

function ok(reply: GuardReply | GuardErrorReply): GuardReply {
  assert.ok(!("error" in reply), JSON.stringify(reply));
  return reply;
}

describe("guard daemon", () => {
  let dir: string;
  let server: GuardServer;
  let socketPath: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "trainguard-guard-"));
    socketPath = join(dir, "guard.sock");
    server = await startGuardServer({ socketPath });
  });

  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("listens on a socket only its user can open (mode 0600)", async () => {
    assert.equal((await stat(socketPath)).mode & 0o777, 0o600);
  });

  it("answers a clean pickle with its verdict and the SHA-256 of the bytes it scanned", async () => {
    const path = join(dir, "clean.pkl");
    await writeFile(path, CLEAN_PICKLE);
    const reply = ok(await requestCheck(socketPath, { path }));
    assert.equal(reply.verdict, "clean");
    assert.equal(reply.sha256, createHash("sha256").update(CLEAN_PICKLE).digest("hex"));
  });

  it("calls a pickle that imports posix.system dangerous", async () => {
    const path = join(dir, "evil.pkl");
    await writeFile(path, EVIL_PICKLE);
    const reply = ok(await requestCheck(socketPath, { path }));
    assert.equal(reply.verdict, "dangerous");
    assert.ok(reply.findings.some((f) => f.rule === "pickle/dangerous-global"));
  });

  it("serves an unchanged file from the cache and rescans it once it changes", async () => {
    const path = join(dir, "changing.pkl");
    await writeFile(path, CLEAN_PICKLE);
    assert.equal(ok(await requestCheck(socketPath, { path })).cached, false);
    assert.equal(ok(await requestCheck(socketPath, { path })).cached, true);
    await writeFile(path, EVIL_PICKLE);
    const changed = ok(await requestCheck(socketPath, { path }));
    assert.equal(changed.cached, false);
    assert.equal(changed.verdict, "dangerous");
  });

  it("rescans a same-size rewrite whose mtime was put back (ctime still moves)", async () => {
    const path = join(dir, "same-size.pkl");
    await writeFile(path, CLEAN_PICKLE);
    const { atime, mtime } = await stat(path);
    ok(await requestCheck(socketPath, { path }));
    const other = Buffer.from("80025d7100284b014b03652e", "hex");
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(path, other);
    await utimes(path, atime, mtime);
    const reply = ok(await requestCheck(socketPath, { path }));
    assert.equal(reply.cached, false);
    assert.equal(reply.sha256, createHash("sha256").update(other).digest("hex"));
  });

  it("reports a missing file as unscannable", async () => {
    const reply = ok(await requestCheck(socketPath, { path: join(dir, "absent.pkl") }));
    assert.equal(reply.verdict, "unscannable");
    assert.equal(reply.sha256, undefined);
  });

  it("answers a bad request with code bad-request and keeps serving the connection", async () => {
    const replies = await new Promise<string[]>((resolve, reject) => {
      const socket = createConnection(socketPath);
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk.toString();
        if (text.split("\n").length > 2) {
          socket.end();
          resolve(text.trim().split("\n"));
        }
      });
      socket.on("error", reject);
      socket.write(`not json\n{"path":"${join(dir, "absent")}"}\n`);
    });
    assert.equal((JSON.parse(replies[0] ?? "") as GuardErrorReply).error.code, "bad-request");
    assert.equal((JSON.parse(replies[1] ?? "") as GuardReply).verdict, "unscannable");
  });

  it("answers a request line over the bound with request-too-large and closes", async () => {
    const line = `{"path":"/${"a".repeat(MAX_REQUEST_BYTES + 10)}"}`;
    const reply = JSON.parse(await sendLine(socketPath, line)) as GuardErrorReply;
    assert.equal(reply.error.code, "request-too-large");
  });

  it("refuses to start where a daemon already answers", async () => {
    await assert.rejects(
      startGuardServer({ socketPath }),
      (error) => error instanceof GuardError && error.code === "socket-unavailable",
    );
  });

  it("refuses to replace a file that is not a socket", async () => {
    const path = join(dir, "not-a-socket");
    await writeFile(path, "x");
    await assert.rejects(
      startGuardServer({ socketPath: path }),
      (error) => error instanceof GuardError && error.code === "socket-unavailable",
    );
  });

  it("removes its socket on close and a new daemon can take the path", async () => {
    const path = join(dir, "second.sock");
    const second = await startGuardServer({ socketPath: path });
    await second.close();
    await assert.rejects(stat(path));
  });
});
