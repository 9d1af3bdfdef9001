import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GuardError } from "./guard-error.js";
import { parseRequest } from "./protocol.js";

function code(line: string): string | undefined {
  try {
    parseRequest(line);
  } catch (error) {
    return error instanceof GuardError ? error.code : "other";
  }
  return undefined;
}

describe("parseRequest()", () => {
  it("reads a path and an optional verify object", () => {
    assert.deepEqual(parseRequest('{"path":"/m.pt"}'), { path: "/m.pt" });
    assert.deepEqual(
      parseRequest('{"path":"/m.pt","verify":{"signature":"/m.pt.sig","publicKey":"/k.pem"}}'),
      { path: "/m.pt", verify: { signature: "/m.pt.sig", publicKey: "/k.pem" } },
    );
  });

  it("rejects what is not JSON, not an object, relative, or carries unknown fields", () => {
    for (const line of [
      "not json",
      "[]",
      '"x"',
      "{}",
      '{"path":"m.pt"}',
      '{"path":"/m\\u0000.pt"}',
      '{"path":"/m.pt","extra":1}',
      '{"path":"/m.pt","verify":{"signature":"/s"}}',
      '{"path":"/m.pt","verify":[]}',
    ]) {
      assert.equal(code(line), "bad-request", line);
    }
  });
});
