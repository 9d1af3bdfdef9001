/** The state file: round trip, and a file that is not ours is refused, not guessed at. */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tmp } from "./test-support/watch-dirs.js";
import { loadWatchState, saveWatchState, watchStatePath } from "./watch-state.js";

describe("watch state", () => {
  it("round-trips entries and starts empty when there is no file", async () => {
    const home = tmp("tg-home-");
    assert.equal((await loadWatchState(watchStatePath(home))).size, 0);
    const entry = {
      dev: "1",
      ino: "2",
      size: "3",
      mtimeNs: "1795672928899331899",
      verdict: "clean" as const,
      scannedAt: "2026-11-26T00:00:00.000Z",
    };
    await saveWatchState(watchStatePath(home), new Map([["/a", entry]]));
    assert.deepEqual(await loadWatchState(watchStatePath(home)), new Map([["/a", entry]]));
  });

  for (const [name, text] of [
    ["not JSON", "{"],
    ["another version", '{"version": 2, "files": {}}'],
    ["a malformed entry", '{"version": 1, "files": {"/a": {"dev": "x"}}}'],
    [
      "an unknown verdict",
      '{"version": 1, "files": {"/a": {"dev": "1", "ino": "1", "size": "1", "mtimeNs": "1", "verdict": "fine", "scannedAt": ""}}}',
    ],
  ]) {
    it(`refuses a state file with ${name} with BAD_STATE`, async () => {
      const home = tmp("tg-home-");
      writeFileSync(join(home, "watch-state.json"), text ?? "");
      await assert.rejects(loadWatchState(watchStatePath(home)), { code: "BAD_STATE" });
    });
  }
});
