/**
 * Request bodies into stored chunks: one per run in first-seen order, the text reused where the
 * body holds one run, summary columns over integer steps and finite times only.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeTelemetryBody } from "./decode-records.js";
import { telemetryChunks } from "./telemetry-chunks.js";

const context = { receivedAt: 7, principal: "p" };
const rec = (run: string, rank: number, step: number, time: unknown = step) =>
  JSON.stringify({ run, rank, step, time });

describe("telemetryChunks", () => {
  it("stores a single-run JSON body as received, with its ranges", () => {
    const text = `{"records": [${rec("a", 2, 5, 1.5)}, ${rec("a", 0, 3, "NaN")}]}`;
    const [chunk, ...rest] = telemetryChunks(decodeTelemetryBody("json", text), context);
    assert.equal(rest.length, 0);
    assert.deepEqual(chunk, {
      run: "a",
      format: "json",
      count: 2,
      minRank: 0,
      maxRank: 2,
      minStep: 3,
      maxStep: 5,
      minTime: 1.5,
      maxTime: 1.5,
      receivedAt: 7,
      principal: "p",
      body: text,
    });
  });

  it("splits a mixed-run JSON body into one NDJSON chunk per run, in request order", () => {
    const lines = [rec("a", 0, 1), rec("b", 0, 1), rec("a", 1, 2), rec("c", 0, 9)];
    const chunks = telemetryChunks(
      decodeTelemetryBody("json", `{"records":[${lines.join(",")}]}`),
      context,
    );
    assert.deepEqual(
      chunks.map((c) => [c.run, c.format, c.count, c.body]),
      [
        ["a", "ndjson", 2, `${lines[0]}\n${lines[2]}`],
        ["b", "ndjson", 1, lines[1]],
        ["c", "ndjson", 1, lines[3]],
      ],
    );
  });

  it("joins an NDJSON body's lines per run as sent, and leaves ranges null when absent", () => {
    const a = '{"type":"heartbeat","run":"a","rank":1,"time":"NaN"}';
    const b = `{"run": "b", "rank": 0, "step": 4, "time": 2}`;
    const chunks = telemetryChunks(decodeTelemetryBody("ndjson", `${a}\r\n\n${b}\n${a}`), context);
    assert.deepEqual(
      chunks.map((c) => [c.run, c.body, c.minStep, c.maxTime]),
      [
        ["a", `${a}\n${a}`, null, null],
        ["b", b, 4, 2],
      ],
    );
  });
});
