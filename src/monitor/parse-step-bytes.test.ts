/**
 * The fast step parser against the slow path it stands in for: on recorded runs, on records
 * with every field mutated to values the slow path accepts, refuses or coerces, and on random
 * byte damage. Whenever the fast path accepts, its record must deep-equal
 * parseTelemetryRecord(JSON.parse(text)); the counts check it does accept the common records.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { JsonCursor } from "./json-cursor.js";
import { parseTelemetryRecord } from "./parse-record.js";
import { StepParser } from "./parse-step-bytes.js";
import { prng } from "./test-support/synthetic-run.js";

const RUNS = fileURLToPath(new URL("../../fixtures/monitor/runs/", import.meta.url));

function slow(text: string): unknown {
  try {
    return parseTelemetryRecord(JSON.parse(text), "w");
  } catch {
    return undefined;
  }
}

function fast(text: string): unknown {
  const bytes = Buffer.from(text);
  return new StepParser(bytes).parse(0, bytes.length, true, "w");
}

/** Asserts the contract on `text`; returns whether the fast path accepted it. */
function agrees(text: string): boolean {
  const got = fast(text);
  if (got === undefined) return false;
  assert.deepStrictEqual(got, slow(text), `fast path differs on ${text}`);
  return true;
}

const stepLines = (): string[] =>
  readdirSync(RUNS).flatMap((dir) =>
    readdirSync(join(RUNS, dir))
      .filter((f) => f.endsWith(".jsonl"))
      .flatMap((f) => readFileSync(join(RUNS, dir, f), "utf8").split("\n"))
      .filter((line) => line.includes('"type":"step"')),
  );

const ODD_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  7,
  -3,
  1.5,
  2 ** 31,
  2 ** 53,
  1e21,
  1e-7,
  0.1 + 0.2,
  "NaN",
  "Infinity",
  "-Infinity",
  "constructor",
  "toString",
  "",
  "step",
  "x".repeat(5000),
  "a\u00e9",
  'q"uote',
  "tab\there",
  [],
  [1, 2],
  [1, "NaN", null],
  [[1]],
  {},
  { torch: "a" },
  { torch: null },
  { "0": "a", b: "c" },
  { __proto__: null, x: 1 },
  { lr: 1, betas: [0.9, 0.999], nesterov: true, name: "sgd", maybe: null },
  { rel_err: 0.5 },
  { rel_err: "NaN" },
  { rel_err: "bad" },
  new Array(1025).fill(0.5),
];

const FIELDS = [
  "type",
  "run",
  "rank",
  "time",
  "timestamp",
  "step",
  "world_size",
  "loss",
  "lr",
  "grad_norm",
  "local_grad_norm",
  "grad_sketch",
  "param_digest",
  "rng_digest",
  "batch_digest",
  "config_digest",
  "step_time",
  "wait_time",
  "optimizer",
  "update_check",
  "epoch",
  "__proto__",
];

describe("StepParser", () => {
  it("reads every recorded step record exactly as the slow path", () => {
    const lines = stepLines();
    assert.ok(lines.length > 1000, `only ${lines.length} step records in fixtures`);
    for (const line of lines) assert.ok(agrees(line), `declined ${line.slice(0, 120)}`);
  });

  it("agrees with the slow path on records with mutated fields, duplicates and spacing", () => {
    const next = prng(1);
    const base = JSON.parse(stepLines()[0]!) as Record<string, unknown>;
    let accepted = 0;
    const total = 20_000;
    for (let n = 0; n < total; n++) {
      const record: Record<string, unknown> = { ...base };
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) {
        const field = FIELDS[Math.floor(next() * FIELDS.length)]!;
        const roll = next();
        if (roll < 0.15) delete record[field];
        else record[field] = ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
      }
      let text = JSON.stringify(record);
      const form = next();
      if (form < 0.2) text = JSON.stringify(record, null, 1);
      else if (form < 0.3) {
        // A duplicate key: JSON.parse keeps the last value, in the first one's place.
        const field = FIELDS[Math.floor(next() * FIELDS.length)]!;
        const value = ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
        text = `${text.slice(0, -1)},${JSON.stringify(field)}:${JSON.stringify(value) ?? "null"}}`;
      } else if (form < 0.35) text = ` \t${text}\r\n `;
      if (agrees(text)) accepted++;
    }
    // Most mutations make a record the slow path refuses; thousands must still go the fast way.
    assert.ok(accepted > total / 10, `fast path accepted only ${accepted} of ${total}`);
  });

  it("agrees with the slow path on damaged bytes and never accepts invalid JSON", () => {
    const next = prng(2);
    const lines = stepLines().slice(0, 200);
    for (let n = 0; n < 20_000; n++) {
      const bytes = Buffer.from(lines[n % lines.length]!);
      const at = Math.floor(next() * bytes.length);
      const roll = next();
      let text: string;
      if (roll < 0.4) {
        bytes[at] = Math.floor(next() * 256);
        text = bytes.toString("latin1");
      } else if (roll < 0.7) {
        text = bytes.toString("latin1", 0, at) + bytes.toString("latin1", at + 1);
      } else {
        const inserted = ' ,:{}[]"\\e-+.0NaIfy\n'[Math.floor(next() * 21)]!;
        text = bytes.toString("latin1", 0, at) + inserted + bytes.toString("latin1", at);
      }
      agrees(text);
    }
  });

  it("shares one optimizer map between records whose map text is the same, and only those", () => {
    const next = prng(3);
    const base = JSON.parse(stepLines()[0]!) as Record<string, unknown>;
    const maps = [
      { lr: 0.1, momentum: 0.9 },
      { lr: 0.1, momentum: 0.9, nesterov: true },
      { lr: 0.1 },
      { lr: 0.1, momentum: 0.9 },
      { lr: 0.05, momentum: 0.9 },
    ];
    // One parser over one body, as the server reads a request: the map repeats, changes, and
    // comes back; a text that starts as the last one did must still be read.
    const lines = Array.from({ length: 400 }, (_, i) =>
      JSON.stringify({ ...base, step: i, optimizer: maps[Math.floor(next() * maps.length)] }),
    );
    const bytes = Buffer.from(lines.join("\n"));
    const parser = new StepParser(bytes);
    let at = 0;
    let shared = 0;
    let previous: { text: string; map: unknown } | undefined;
    for (const line of lines) {
      const record = parser.parse(at, at + Buffer.byteLength(line), true, "w");
      at += Buffer.byteLength(line) + 1;
      assert.deepStrictEqual(record, slow(line));
      const text = JSON.stringify(JSON.parse(line).optimizer);
      if (previous?.text === text) {
        assert.equal(record!.optimizer, previous.map, "the same text gives the same map");
        shared++;
      } else assert.notEqual(record!.optimizer, previous?.map);
      previous = { text, map: record!.optimizer };
    }
    assert.ok(shared > 50, `only ${shared} records shared a map`);
  });

  it("reads only its line: a record cut short at the limit is declined", () => {
    const line = stepLines()[0]!;
    const bytes = Buffer.from(`${line}\n${line}`);
    const parser = new StepParser(bytes);
    assert.ok(parser.parse(0, line.length, true, "w") !== undefined);
    for (let cut = 1; cut < line.length; cut += 7) {
      assert.equal(parser.parse(0, cut, true, "w"), undefined, `cut at ${cut}`);
    }
  });
});

describe("JsonCursor.number", () => {
  it("returns JSON.parse's double for decimals in every notation", () => {
    const next = prng(3);
    for (let n = 0; n < 50_000; n++) {
      const x = (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
      const forms = [
        String(x),
        x.toFixed(Math.floor(next() * 20)),
        x.toExponential(Math.floor(next() * 20)),
        x.toPrecision(1 + Math.floor(next() * 21)),
      ];
      for (const text of forms) {
        const cursor = new JsonCursor(Buffer.from(text));
        cursor.limit = text.length;
        assert.ok(Object.is(cursor.number(), JSON.parse(text)), text);
        assert.equal(cursor.pos, text.length);
      }
    }
  });
});
