import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTelemetryRecord } from "../parse-record.js";
import type { StepRecord } from "../telemetry.js";
import { parsePythonJson } from "./python-json.js";

test("parsePythonJson() reads bare NaN, Infinity and -Infinity as the wire format's strings", () => {
  assert.deepEqual(
    parsePythonJson('{"a": NaN, "b": Infinity, "c": -Infinity, "d": [NaN,-Infinity]}'),
    {
      a: "NaN",
      b: "Infinity",
      c: "-Infinity",
      d: ["NaN", "-Infinity"],
    },
  );
  const record = parseTelemetryRecord(
    parsePythonJson('{"run":"r","step":1,"loss":NaN,"grad_norm":Infinity,"lr":-Infinity}'),
    "x:1",
  ) as StepRecord;
  assert.ok(Number.isNaN(record.loss));
  assert.equal(record.gradNorm, Number.POSITIVE_INFINITY);
  assert.equal(record.lr, Number.NEGATIVE_INFINITY);
});

test("parsePythonJson() leaves NaN and Infinity inside strings alone, escaped quotes included", () => {
  const text = '{"note": "loss NaN \\" Infinity", "NaN": "-Infinity", "x": NaN}';
  assert.deepEqual(parsePythonJson(text), {
    note: 'loss NaN " Infinity',
    NaN: "-Infinity",
    x: "NaN",
  });
  assert.deepEqual(parsePythonJson('["\\\\", NaN, "\\\\\\"NaN"]'), ["\\", "NaN", '\\"NaN']);
});

test("parsePythonJson() still rejects what is not JSON", () => {
  for (const text of [
    "NaNx",
    '{"a": NaN1}',
    '{"a": nan}',
    '{"a": Infinityy}',
    "{'a': 1}",
    "{",
    "-NaN",
  ]) {
    assert.throws(() => parsePythonJson(text), SyntaxError, text);
  }
});
