/**
 * Malformed request bodies for POST /v1/telemetry, built in code: every refusal is
 * INVALID_REQUEST and names the record that failed; nothing malformed is half-accepted.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ServerError } from "../server-error.js";
import { decodeTelemetryBody, MAX_TELEMETRY_RECORDS, quoteNonFinite } from "./decode-records.js";

const step = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ run: "r", rank: 0, step: 1, time: 1, ...extra });

function refused(kind: "json" | "ndjson", text: string, pattern: RegExp): void {
  assert.throws(
    () => decodeTelemetryBody(kind, text),
    (e: unknown) =>
      e instanceof ServerError && e.code === "INVALID_REQUEST" && pattern.test(e.message),
    `${kind} ${text.slice(0, 80)}`,
  );
}

describe("decodeTelemetryBody", () => {
  it("refuses JSON bodies that are not {records: [...]} with at least one record", () => {
    refused("json", "", /not valid JSON/);
    refused("json", "{", /not valid JSON/);
    refused("json", "[]", /not an object/);
    refused("json", "null", /not an object/);
    refused("json", '{"records": {}}', /"records" is not an array/);
    refused("json", '{"records": []}', /no records/);
    refused("json", `{"records": [${step()}], "run": "r"}`, /unknown property "run"/);
  });

  it("names the index of the first bad record", () => {
    const records = [step(), step(), step({ rank: 1.5 }), step({ step: "x" })];
    refused("json", `{"records": [${records.join(",")}]}`, /record #2: "rank"/);
    refused("json", `{"records": [${step()}, 7]}`, /record #1: not a JSON object/);
    refused("json", `{"records": [${step({ type: "bogus" })}]}`, /record #0: unknown "type"/);
    refused("json", `{"records": [${step({ run: "" })}]}`, /record #0: "run" is missing/);
  });

  it("refuses ranks past int4 and runs with U+0000, which PostgreSQL cannot store", () => {
    refused("json", `{"records": [${step({ rank: 2 ** 31 })}]}`, /record #0: "rank" is over/);
    refused("ndjson", step({ run: "a\u0000b" }), /record #0 \(line 1\): "run" contains U\+0000/);
  });

  it("names the record and its line in NDJSON, counting blank lines", () => {
    refused("ndjson", `${step()}\n\n{"run": "r", "rank": 0, "step": 1,\n`, /#1 \(line 3\)/);
    refused("ndjson", `${step()}\n${step({ step: -1 })}`, /record #1 \(line 2\): "step"/);
    refused("ndjson", "\n \r\n", /no records/);
  });

  it("refuses more than MAX_TELEMETRY_RECORDS records", () => {
    const line = `${step()}\n`;
    refused("ndjson", line.repeat(MAX_TELEMETRY_RECORDS + 1), /more than 100000 records/);
  });

  it("keeps NDJSON lines as sent, without the CR of a CRLF", () => {
    const a = step();
    const b = '{"run":"r","rank":1,"step":2,"extra":{"kept":true}}';
    const decoded = decodeTelemetryBody("ndjson", `${a}\r\n${b}`);
    assert.equal(decoded.kind, "ndjson");
    assert.deepEqual([decoded.recordText(0), decoded.recordText(1)], [a, b]);
    assert.equal(decoded.text, undefined);
    const plain = decodeTelemetryBody("ndjson", `${a}\n${b}\n`);
    assert.equal(plain.text, `${a}\n${b}`);
    assert.equal(decoded.records[1]!.rank, 1);
  });

  it("quotes bare NaN and ±Infinity outside strings only", () => {
    assert.equal(
      quoteNonFinite('{"a": NaN, "b": [-Infinity, Infinity], "c": "NaN \\" Infinity"}'),
      '{"a": "NaN", "b": ["-Infinity", "Infinity"], "c": "NaN \\" Infinity"}',
    );
    assert.equal(quoteNonFinite('{"c": "NaN"}'), undefined);
    const decoded = decodeTelemetryBody("ndjson", '{"run":"r","step":3,"loss":NaN}');
    assert.equal(decoded.recordText(0), '{"run":"r","step":3,"loss":"NaN"}');
    const [record] = decoded.records;
    assert.ok(Number.isNaN(record!.type === "step" ? record!.loss : 0));
    const json = decodeTelemetryBody("json", '{"records":[{"run":"r","step":3,"loss":NaN}]}');
    assert.equal(json.text, '{"records":[{"run":"r","step":3,"loss":"NaN"}]}');
  });
});
