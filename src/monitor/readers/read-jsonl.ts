/**
 * A JSON-lines log as telemetry: trainguard's own records and plain metric logs alike go
 * through parseTelemetryRecord, one line at a time. A bad line is a problem, never the end.
 */
import { parseTelemetryRecord } from "../parse-record.js";
import { readLines } from "./line-reader.js";
import { parsePythonJson } from "./python-json.js";
import { errorMessage, type ReadSink } from "./read-result.js";

export interface JsonlTarget {
  readonly file: string;
  /** For records that do not name their run and rank (plain metric logs). */
  readonly defaults: { readonly run: string; readonly rank?: number };
}

export async function readJsonl(
  target: JsonlTarget,
  maxRecordBytes: number,
  sink: ReadSink,
): Promise<void> {
  const { file, defaults } = target;
  for await (const line of readLines(file, maxRecordBytes)) {
    const where = `${file}:${line.number}`;
    if ("problem" in line) {
      sink.problems.push({ source: where, message: line.problem });
      continue;
    }
    if (line.text.trim() === "") continue;
    let value: unknown;
    try {
      value = parsePythonJson(line.text);
    } catch (error) {
      sink.problems.push({
        source: where,
        message: `Cannot parse JSON line: ${errorMessage(error)}`,
      });
      continue;
    }
    try {
      sink.records.push(parseTelemetryRecord(value, where, defaults));
    } catch (error) {
      sink.problems.push({ source: where, message: errorMessage(error) });
    }
  }
}
