/** Canonical event bytes: RFC 8785 ordering, server-set fields, size and canonical-form checks. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Compile } from "typebox/compile";
import {
  canonicalJson,
  EventError,
  EventInputSchema,
  eventBytes,
  MAX_EVENT_BYTES,
  parseEventBytes,
  recordEvent,
} from "./index.js";

const context = { principal: "alice", tokenId: "0123456789abcdef", time: 1_700_000_000_000 };
const input = { activity: "scan.file", outcome: { status: "success" as const } };

describe("canonicalJson", () => {
  it("sorts keys by UTF-16 code units at every level and drops whitespace (RFC 8785 §3.2.3)", () => {
    const value = {
      b: 1,
      a: { "\u20ac": 1, "\ud83d\ude00": 2, Z: 3, "": 4 },
      c: [3, { y: 1, x: 2 }],
    };
    assert.equal(
      canonicalJson(value),
      '{"a":{"":4,"Z":3,"\u20ac":1,"\ud83d\ude00":2},"b":1,"c":[3,{"x":2,"y":1}]}',
    );
  });

  it("serialises numbers and strings as ECMAScript does (RFC 8785 §3.2.2)", () => {
    assert.equal(
      canonicalJson([1e21, 1.5, -0, 0.1 + 0.2, '\u0007"\\', null, true]),
      '[1e+21,1.5,0,0.30000000000000004,"\\u0007\\"\\\\",null,true]',
    );
  });

  it("refuses lone surrogates, non-finite numbers and deep nesting with INVALID_EVENT", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    for (const bad of ["\ud800", Number.NaN, deep]) {
      assert.throws(
        () => canonicalJson(bad as never),
        (e: unknown) => e instanceof EventError && e.code === "INVALID_EVENT",
      );
    }
  });
});

describe("recorded events", () => {
  it("take principal, token and time from the server, never from the client's claims", () => {
    const claimed = { ...input, actor: { on_behalf_of: "bob" } };
    const event = recordEvent(claimed, context);
    assert.deepEqual(event.actor, {
      on_behalf_of: "bob",
      principal: "alice",
      token_uid: context.tokenId,
    });
    assert.equal(event.time, context.time);
    assert.match(event.event_uid, /^[0-9a-f-]{36}$/);
    const bytes = eventBytes(event);
    assert.deepEqual(parseEventBytes(bytes), event);
  });

  it("are refused over 65,535 canonical bytes with EVENT_TOO_LARGE", () => {
    const details = Object.fromEntries(
      Array.from({ length: 17 }, (_, i) => [`k${i}`, "x".repeat(4000)]),
    );
    assert.throws(
      () => eventBytes(recordEvent({ ...input, details }, context)),
      (e: unknown) => e instanceof EventError && e.code === "EVENT_TOO_LARGE",
    );
    assert.equal(MAX_EVENT_BYTES, 65535);
  });

  it("parseEventBytes refuses bytes that are not canonical or not ours", () => {
    const bytes = eventBytes(recordEvent(input, context));
    const spaced = Buffer.from(JSON.stringify(JSON.parse(Buffer.from(bytes).toString()), null, 1));
    for (const bad of [
      spaced,
      Buffer.from("[]"),
      Buffer.from("{"),
      Buffer.from('{"schema":"other"}'),
    ]) {
      assert.throws(
        () => parseEventBytes(bad),
        (e: unknown) => e instanceof EventError && e.code === "INVALID_EVENT",
      );
    }
  });

  it("the schema bounds every field and refuses unknown ones", () => {
    const check = Compile(EventInputSchema);
    assert.ok(
      check.Check({
        ...input,
        resources: [
          { type: "model", uid: "m.pt", hashes: [{ algorithm: "sha256", value: "ab".repeat(32) }] },
        ],
      }),
    );
    assert.ok(!check.Check({ ...input, extra: 1 }));
    assert.ok(!check.Check({ ...input, activity: "Scan" }));
    assert.ok(
      !check.Check({
        ...input,
        resources: Array.from({ length: 65 }, () => ({ type: "m", uid: "u" })),
      }),
    );
    assert.ok(!check.Check({ ...input, details: { nested: { a: 1 } } }));
    assert.ok(!check.Check({ ...input, severity_id: 7 }));
  });
});
