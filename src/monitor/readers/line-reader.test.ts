import assert from "node:assert/strict";
import { test } from "node:test";
import { type Line, readLines } from "./line-reader.js";
import { tempDir } from "./test-support/temp-dir.js";

const tmp = await tempDir();

async function lines(data: string | Uint8Array, max = 1024): Promise<Line[]> {
  const file = await tmp.put(`f${Math.random().toString(36).slice(2)}.txt`, data);
  const out: Line[] = [];
  for await (const line of readLines(file, max)) out.push(line);
  return out;
}

test("readLines() numbers lines, strips \\n, \\r\\n and a leading BOM, and reads a last line without \\n", async () => {
  assert.deepEqual(await lines("\ufeffa\r\nb\n\nc"), [
    { number: 1, text: "a" },
    { number: 2, text: "b" },
    { number: 3, text: "" },
    { number: 4, text: "c" },
  ]);
  assert.deepEqual(await lines(""), []);
});

test("readLines() reports a line longer than the limit and goes on with the next", async () => {
  const long = "x".repeat(200_000);
  const out = await lines(`ok\n${long}\nafter\n${long}`, 100_000);
  assert.deepEqual(out, [
    { number: 1, text: "ok" },
    { number: 2, problem: "Cannot read line: longer than 100000 bytes" },
    { number: 3, text: "after" },
    { number: 4, problem: "Cannot read line: longer than 100000 bytes" },
  ]);
});

test("readLines() joins a line that spans read chunks", async () => {
  const long = "é".repeat(70_000);
  assert.deepEqual(await lines(`${long}\nend`, 1_000_000), [
    { number: 1, text: long },
    { number: 2, text: "end" },
  ]);
});

test("readLines() reports invalid UTF-8 as a problem for that line", async () => {
  const data = Buffer.concat([Buffer.from("a\n"), Buffer.from([0xff, 0xfe]), Buffer.from("\nb")]);
  assert.deepEqual(await lines(data), [
    { number: 1, text: "a" },
    { number: 2, problem: "Cannot decode line: not valid UTF-8" },
    { number: 3, text: "b" },
  ]);
});
