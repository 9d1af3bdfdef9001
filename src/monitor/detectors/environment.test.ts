import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { isKnownHook } from "./environment.js";

const RUN = fileURLToPath(
  new URL("../../../fixtures/monitor/runs/seed_hook/mon-seed-hook.rank0.jsonl", import.meta.url),
);

describe("environment: startup hooks", () => {
  const start = JSON.parse(readFileSync(RUN, "utf8").split("\n")[0] ?? "{}") as {
    startup_hooks: string[];
  };

  it("knows the stock hooks recorded on Debian with trainguard's guard", () => {
    const known = start.startup_hooks.filter(isKnownHook);
    assert.equal(known.length, 2);
  });

  it("reports a sitecustomize outside the interpreter's own directory", () => {
    const planted = start.startup_hooks.filter((h) => !isKnownHook(h));
    assert.deepEqual(
      planted.map((h) => h.split(" ")[0]),
      ["sitecustomize"],
    );
    assert.match(planted[0] ?? "", /seed_hook\/hooks\/sitecustomize\.py$/);
  });

  it("reports an edited copy of a stock hook", () => {
    const shim = start.startup_hooks.find((h) => h.includes("distutils-precedence")) ?? "";
    assert.equal(isKnownHook(shim), true);
    assert.equal(isKnownHook(`${shim} import evil;`), false);
    assert.equal(isKnownHook(shim.replace("add_shim", "add_shim2")), false);
  });
});
