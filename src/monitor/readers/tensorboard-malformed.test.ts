/** Broken TensorBoard event files, built in code: every one yields problems, never a throw. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { StepRecord } from "../telemetry.js";
import { readTelemetry } from "./read-telemetry.js";
import {
  bytes,
  concat,
  double,
  float,
  frame,
  header,
  message,
  raw,
  sessionEvent,
  simpleValue,
  summaryEvent,
  tensorValue,
  text,
  varint,
  versionEvent,
} from "./test-support/tb-builder.js";
import { tempDir } from "./test-support/temp-dir.js";

const NAME = "run/events.out.tfevents.1700000000.host.1.0";
const tmp = await tempDir();
let serial = 0;

async function readEvents(data: Uint8Array, maxRecordBytes?: number) {
  serial += 1;
  const file = await tmp.put(`case${serial}/${NAME}`, data);
  const options = maxRecordBytes === undefined ? {} : { maxRecordBytes };
  const read = await readTelemetry([file], options);
  const steps = read.records.filter((r): r is StepRecord => r.type === "step");
  return { file, read, steps };
}

const three = (): Uint8Array[] => [
  frame(versionEvent(1)),
  frame(summaryEvent(10, 0, simpleValue("loss", 1))),
  frame(summaryEvent(11, 1, simpleValue("loss", 0.5))),
];

test("a record whose data checksum is wrong ends the file with a problem at its byte offset", async () => {
  const [a, b, c] = three();
  const bad = c!.slice();
  bad[14] = bad[14]! ^ 0xff;
  const { file, read, steps } = await readEvents(concat(a!, b!, bad));
  assert.deepEqual(
    steps.map((r) => r.step),
    [0],
  );
  const offset = a!.length + b!.length;
  assert.equal(read.problems.length, 1);
  assert.equal(read.problems[0]?.source, file);
  assert.match(read.problems[0]!.message, new RegExp(`at byte ${offset}: data checksum mismatch`));
});

test("a record whose length checksum is wrong is reported and nothing after it is read", async () => {
  const [a, b, c] = three();
  const bad = b!.slice();
  bad[8] = bad[8]! ^ 0x01;
  const { read, steps } = await readEvents(concat(a!, bad, c!));
  assert.deepEqual(steps, []);
  assert.match(read.problems[0]!.message, new RegExp(`at byte ${a!.length}: length checksum`));
});

test("a file cut inside a header or inside the data keeps the records before the cut", async () => {
  const [a, b, c] = three();
  for (const cut of [5, 12, c!.length - 1]) {
    const { read, steps } = await readEvents(concat(a!, b!, c!.subarray(0, cut)));
    assert.deepEqual(
      steps.map((r) => r.step),
      [0],
      `cut ${cut}`,
    );
    assert.equal(read.problems.length, 1, `cut ${cut}`);
    assert.match(read.problems[0]!.message, new RegExp(`at byte ${a!.length + b!.length}`));
  }
});

test("a huge length prefix with a valid checksum is reported as running past the end", async () => {
  for (const length of [2n ** 63n, 2n ** 64n - 1n, 1n << 40n]) {
    const { read, steps } = await readEvents(
      concat(three()[1]!, header(length), new Uint8Array(8)),
    );
    assert.equal(steps.length, 1);
    assert.match(read.problems[0]!.message, /runs past the end of the file/);
  }
});

test("a record longer than maxRecordBytes is skipped with a problem and reading goes on", async () => {
  const big = summaryEvent(10, 0, simpleValue("loss", 1), simpleValue("x".repeat(200), 2));
  const { read, steps } = await readEvents(
    concat(frame(big), frame(summaryEvent(11, 1, simpleValue("loss", 3)))),
    100,
  );
  assert.deepEqual(
    steps.map((r) => [r.step, r.loss]),
    [[1, 3]],
  );
  assert.match(read.problems[0]!.message, /at byte 0: \d+ bytes is more than 100/);
});

test("an event with a wrong wire type is a problem for that event only", async () => {
  const cases = [
    message(varint(1, 5), varint(2, 0)), // wall_time as varint
    message(double(1, 1), double(2, 3)), // step as double
    message(double(1, 1), varint(5, 1)), // summary as varint
    summaryEvent(1, 0, message(text(1, "loss"), varint(2, 1))), // simple_value as varint
    summaryEvent(1, 0, message(varint(1, 7), float(2, 1))), // tag as varint
    message(double(1, 1), bytes(7, message(double(1, 1)))), // session_log status as double
  ];
  for (const [i, event] of cases.entries()) {
    const after = frame(summaryEvent(2, 9, simpleValue("loss", 4)));
    const { read, steps } = await readEvents(concat(frame(event), after));
    assert.deepEqual(
      steps.map((r) => r.step),
      [9],
      `case ${i}`,
    );
    assert.equal(read.problems.length, 1, `case ${i}`);
    assert.match(
      read.problems[0]!.message,
      /^Cannot read TensorBoard event at byte 0: .*wire type/,
    );
  }
});

test("groups, field number 0, truncated varints and negative steps are problems", async () => {
  const cases = [
    message(double(1, 1), raw(new Uint8Array([0x1b, 0x1c]))), // field 3 start group
    message(double(1, 1), raw(new Uint8Array([0x00, 0x00]))), // tag 0
    message(double(1, 1), raw(new Uint8Array([0x10, 0xff, 0xff]))), // step varint cut short
    message(double(1, 1), varint(2, -1)), // step -1
    message(double(1, 1), bytes(5, new Uint8Array([0x0a, 0x40, 0x00]))), // value longer than summary
  ];
  for (const [i, event] of cases.entries()) {
    const { read, steps } = await readEvents(frame(event));
    assert.deepEqual(steps, [], `case ${i}`);
    assert.equal(read.problems.length, 1, `case ${i}`);
  }
});

test("a scalars-plugin tensor that is not one number is a problem; other plugins are ignored", async () => {
  const pair = message(varint(1, 1), bytes(2, message(bytes(2, message(varint(1, 2))))));
  const packed = new Uint8Array(new Float32Array([1, 2]).buffer);
  const twoValues = message(varint(1, 1), bytes(2, new Uint8Array(0)), bytes(5, packed));
  const wrongField = message(varint(1, 1), bytes(2, new Uint8Array(0)), double(6, 1));
  const shortContent = message(varint(1, 2), bytes(4, new Uint8Array(4)));
  for (const tensor of [pair, twoValues, wrongField, shortContent]) {
    const { read, steps } = await readEvents(
      frame(summaryEvent(1, 0, tensorValue("loss", tensor))),
    );
    assert.deepEqual(steps, []);
    assert.equal(read.problems.length, 1);
  }
  const textPlugin = bytes(9, message(bytes(1, message(text(1, "text")))));
  const other = message(text(1, "loss"), textPlugin, bytes(8, message(varint(1, 1), float(5, 2))));
  const { read, steps } = await readEvents(frame(summaryEvent(1, 0, other)));
  assert.deepEqual(read.problems, []);
  assert.deepEqual(steps, []);
});

test("a numeric scalar tensor without metadata is read; a plugin named earlier in the file still applies", async () => {
  const tensor = (v: number) => message(varint(1, 1), bytes(2, new Uint8Array(0)), float(5, v));
  const pair = message(varint(1, 1), bytes(2, message(bytes(2, message(varint(1, 2))))));
  const { read, steps } = await readEvents(
    concat(
      frame(summaryEvent(1, 0, tensorValue("loss", tensor(0.5), false))),
      frame(summaryEvent(2, 1, tensorValue("lr", tensor(0.25), true))),
      frame(summaryEvent(3, 2, tensorValue("lr", pair, false))),
    ),
  );
  assert.deepEqual(
    steps.map((r) => [r.step, r.loss, r.lr]),
    [
      [0, 0.5, undefined],
      [1, undefined, 0.25],
    ],
  );
  assert.equal(read.problems.length, 1, "the lr tag is known to be a scalars tag");
});

test("the same tag twice at one step closes the record; session START splits the records", async () => {
  const { read } = await readEvents(
    concat(
      frame(summaryEvent(1, 5, simpleValue("loss", 1))),
      frame(summaryEvent(1, 5, simpleValue("lr", 2))),
      frame(summaryEvent(2, 5, simpleValue("loss", 3))),
      frame(sessionEvent(3, 0, 1)),
      frame(summaryEvent(4, 5, simpleValue("loss", 4))),
    ),
  );
  assert.deepEqual(
    read.records.map((r) => (r.type === "step" ? [r.step, r.loss ?? null, r.lr ?? null] : r.type)),
    [[5, 1, 2], [5, 3, null], "start", [5, 4, null]],
  );
});

test("a file without the TensorBoard name is detected by its record framing", async () => {
  const good = await tmp.put("framing/run-x/tb.bin", concat(...three()));
  await tmp.put("framing/run-x/random.bin", new Uint8Array(64).fill(7));
  const dir = good.slice(0, -"/run-x/tb.bin".length);
  const read = await readTelemetry([dir]);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.files, [good]);
  assert.deepEqual(
    read.records.map((r) => [r.run, r.type]),
    [
      ["run-x", "step"],
      ["run-x", "step"],
    ],
  );
});
