import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isHookModuleName } from "./hook-names.js";

describe("isHookModuleName()", () => {
  it("accepts every importable form of sitecustomize and usercustomize", () => {
    for (const name of [
      "sitecustomize",
      "sitecustomize.py",
      "sitecustomize.pyc",
      "usercustomize.pyw",
      "sitecustomize.so",
      "sitecustomize.cpython-311-x86_64-linux-gnu.so",
      "sitecustomize.abi3.so",
      "usercustomize.cp311-win_amd64.pyd",
    ]) {
      assert.equal(isHookModuleName(name), true, name);
    }
  });

  it("rejects look-alikes", () => {
    for (const name of [
      "sitecustomize_old.py",
      "sitecustomize.py.bak",
      "mysitecustomize.py",
      "sitecustomize.txt",
    ]) {
      assert.equal(isHookModuleName(name), false, name);
    }
  });

  it("matches one hook when asked", () => {
    assert.equal(isHookModuleName("usercustomize.py", "sitecustomize"), false);
  });
});
