/**
 * An MLflow file-store run (mlflow/store/tracking/file_store.py) as telemetry:
 * `<run>/meta.yaml`, `<run>/metrics/<key>` with lines `"<ts_ms> <value> [<step>]"`,
 * `<run>/params/<key>`, `<run>/tags/<key>`. Metric histories of loss, lr and grad norm are
 * merged by step; the n-th occurrence of a step in one history joins the n-th occurrence in the
 * others, so a run that went back to step 3 keeps both passes, ordered by timestamp.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { StepRecord, TelemetryRecord } from "../telemetry.js";
import { TelemetryError } from "../telemetry-error.js";
import { readLines } from "./line-reader.js";
import { parseMlflowMeta } from "./mlflow-meta.js";
import { errorMessage, type ReadSink } from "./read-result.js";
import { matchScalarField, type ScalarField } from "./scalar-field.js";
import { readOptionalText } from "./small-file.js";

const MAX_META_BYTES = 64 * 1024;
const MAX_VALUE_BYTES = 4096;
/** Metric keys may contain `/`, which the file store turns into directories. */
const MAX_METRIC_DEPTH = 8;
const MAX_METRIC_FILES = 10_000;
/** Points kept per run: each costs memory until the run is merged. */
const MAX_POINTS = 5_000_000;
const MILLISECONDS = 1000;
/** Python's `str(float)` spellings of non-finite values. */
const NON_FINITE: Readonly<Record<string, number>> = {
  nan: Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  "-inf": Number.NEGATIVE_INFINITY,
  infinity: Number.POSITIVE_INFINITY,
  "-infinity": Number.NEGATIVE_INFINITY,
};

interface Group {
  readonly step: number;
  time: number;
  readonly order: number;
  readonly source: string;
  readonly slots: Partial<Record<ScalarField, { value: number; priority: number }>>;
}

async function metricFiles(
  dir: string,
  prefix: string,
  depth: number,
  out: string[][],
): Promise<void> {
  if (depth > MAX_METRIC_DEPTH) return;
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (out.length >= MAX_METRIC_FILES) return;
    const key = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await metricFiles(full, key, depth + 1, out);
    else if (entry.isFile()) out.push([key, full]);
  }
}

function parseValue(text: string): number {
  return NON_FINITE[text.toLowerCase()] ?? Number(text);
}

/** A token for a message, bounded: lines may be up to maxRecordBytes long. */
function shown(token: string | undefined): string {
  return (token ?? "").slice(0, 80);
}

function badLine(state: string): never {
  throw new TelemetryError("MALFORMED", `Cannot read MLflow metric line: ${state}`);
}

/** One `"<ts_ms> <value> [<step>]"` line; throws TelemetryError MALFORMED otherwise. */
function parseMetricLine(text: string): { time: number; value: number; step: number } {
  const parts = text.trim().split(/\s+/);
  if (parts.length < 2 || parts.length > 3) badLine(`${parts.length} fields, expected 2 or 3`);
  const [timeText, valueText, stepText] = parts;
  const time = Number(timeText);
  const value = parseValue(valueText!);
  const step = stepText === undefined ? 0 : Number(stepText);
  if (!Number.isFinite(time)) badLine(`timestamp "${shown(timeText)}" is not a number`);
  if (Number.isNaN(value) && !(valueText!.toLowerCase() in NON_FINITE)) {
    badLine(`value "${shown(valueText)}" is not a number`);
  }
  if (!Number.isSafeInteger(step) || step < 0)
    badLine(`step "${shown(stepText)}" is not an integer >= 0`);
  return { time, value, step };
}

async function runName(dir: string, meta: ReturnType<typeof parseMlflowMeta>): Promise<string> {
  if (meta.runName !== undefined) return meta.runName;
  const tag = (
    await readOptionalText(path.join(dir, "tags", "mlflow.runName"), MAX_VALUE_BYTES)
  )?.trim();
  return tag !== undefined && tag !== "" ? tag : path.basename(dir);
}

export async function readMlflowRun(
  dir: string,
  maxRecordBytes: number,
  sink: ReadSink,
): Promise<void> {
  const meta = parseMlflowMeta(
    (await readOptionalText(path.join(dir, "meta.yaml"), MAX_META_BYTES)) ?? "",
  );
  const run = await runName(dir, meta);
  const startTime = meta.startTime === undefined ? Number.NaN : meta.startTime / MILLISECONDS;
  const out: TelemetryRecord[] = [];

  const seedFile = path.join(dir, "params", "seed");
  const seedText = (await readOptionalText(seedFile, MAX_VALUE_BYTES))?.trim();
  if (seedText !== undefined) {
    const seed = Number(seedText);
    if (seedText !== "" && Number.isFinite(seed)) {
      out.push({ type: "start", run, rank: 0, time: startTime, source: seedFile, seed });
    } else {
      sink.problems.push({
        source: seedFile,
        message: `Cannot read MLflow param "seed": "${seedText.slice(0, 80)}" is not a number`,
      });
    }
  }

  const files: string[][] = [];
  await metricFiles(path.join(dir, "metrics"), "", 0, files);
  const groups = new Map<string, Group>();
  let points = 0;
  for (const [key, file] of files) {
    const match = matchScalarField(key!);
    if (match === undefined) continue;
    const seen = new Map<number, number>();
    for await (const line of readLines(file!, maxRecordBytes)) {
      const where = `${file}:${line.number}`;
      if ("problem" in line) {
        sink.problems.push({ source: where, message: line.problem });
        continue;
      }
      if (line.text.trim() === "") continue;
      if (points >= MAX_POINTS) {
        sink.problems.push({
          source: where,
          message: `Cannot read MLflow metrics: more than ${MAX_POINTS} points in the run`,
        });
        break;
      }
      try {
        const { time, value, step } = parseMetricLine(line.text);
        points += 1;
        const occurrence = seen.get(step) ?? 0;
        seen.set(step, occurrence + 1);
        const id = `${step}#${occurrence}`;
        let group = groups.get(id);
        if (group === undefined) {
          group = { step, time, order: groups.size, source: where, slots: {} };
          groups.set(id, group);
        }
        group.time = Math.min(group.time, time);
        const held = group.slots[match.field];
        if (held === undefined || match.priority > held.priority) {
          group.slots[match.field] = { value, priority: match.priority };
        }
      } catch (error) {
        sink.problems.push({ source: where, message: errorMessage(error) });
      }
    }
  }
  const ordered = [...groups.values()].sort((a, b) => a.time - b.time || a.order - b.order);
  for (const group of ordered) {
    const record: StepRecord = {
      type: "step",
      run,
      rank: 0,
      time: group.time / MILLISECONDS,
      source: group.source,
      step: group.step,
      loss: group.slots.loss?.value,
      lr: group.slots.lr?.value,
      gradNorm: group.slots.gradNorm?.value,
    };
    out.push(record);
  }
  sink.records.push(...out);
}
