import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toJson } from "./json.js";
import { CLEAN_PICKLE, MIXED, report } from "./test-support/sample-report.js";
import { TOOL_INFO } from "./tool-info.js";

describe("toJson()", () => {
  it("writes files, summary and tool in a fixed key order with a 2-space indent", () => {
    const text = toJson(MIXED);
    const parsed = JSON.parse(text);
    assert.deepEqual(Object.keys(parsed), ["files", "summary", "tool"]);
    assert.deepEqual(Object.keys(parsed.files[1]), [
      "path",
      "format",
      "verdict",
      "findings",
      "size",
      "bytesRead",
    ]);
    assert.deepEqual(Object.keys(parsed.files[1].findings[0]), [
      "rule",
      "severity",
      "message",
      "location",
      "verdict",
      "reference",
    ]);
    assert.deepEqual(Object.keys(parsed.summary), [
      "files",
      "clean",
      "suspicious",
      "dangerous",
      "unscannable",
    ]);
    assert.deepEqual(parsed.tool, { name: "trainguard", version: TOOL_INFO.version });
    assert.match(text, /^\{\n {2}"files": \[/);
  });

  it("keeps the location fields that are set and no others", () => {
    const parsed = JSON.parse(toJson(MIXED));
    assert.deepEqual(parsed.files[1].findings[0].location, { offset: 14 });
    assert.deepEqual(parsed.files[2].findings[1].location, {
      member: "archive/data.pkl",
      offset: 120,
      stream: 0,
    });
    assert.deepEqual(parsed.files[2].findings[0].location, { member: "archive/data.pkl" });
  });

  it("gives the same bytes for the same report", () => {
    assert.equal(toJson(MIXED), toJson(structuredClone(MIXED)));
  });

  it("writes an empty list of findings for a clean file", () => {
    const parsed = JSON.parse(toJson(report([CLEAN_PICKLE])));
    assert.deepEqual(parsed.files[0].findings, []);
    assert.deepEqual(parsed.summary, {
      files: 1,
      clean: 1,
      suspicious: 0,
      dangerous: 0,
      unscannable: 0,
    });
  });
});
