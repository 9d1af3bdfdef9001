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

  it("reads an identity of five unsigned decimal strings", () => {
    const identity = { dev: "2049", ino: "131", size: "12", mtimeNs: "0", ctimeNs: "1764140000" };
    assert.deepEqual(parseRequest(JSON.stringify({ path: "/m.pt", identity })), {
      path: "/m.pt",
      identity,
    });
    const good = JSON.stringify(identity).slice(1, -1);
    for (const bad of [
      '"identity":[]',
      `"identity":{${good},"uid":"0"}`,
      `"identity":{${good.replace('"2049"', "2049")}}`,
      `"identity":{${good.replace('"2049"', '"-1"')}}`,
      `"identity":{${good.replace('"2049"', '"02049"')}}`,
      `"identity":{${good.replace('"2049"', '"123456789012345678901"')}}`,
      `"identity":{${good.replace(',"ino":"131"', "")}}`,
    ]) {
      assert.equal(code(`{"path":"/m.pt",${bad}}`), "bad-request", bad);
    }
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
