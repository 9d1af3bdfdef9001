/**
 * Files and directories to telemetry records: trainguard/plain JSON lines, TensorBoard event
 * files and MLflow file-store runs, each dispatched by name and content. Directories are walked
 * in sorted order; records keep the order of their files. Anything unreadable becomes a problem
 * and reading goes on; only a path that does not exist stops the call.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { TelemetryError } from "../telemetry-error.js";
import { readJsonl } from "./read-jsonl.js";
import { readMlflowRun } from "./read-mlflow.js";
import {
  DEFAULT_MAX_RECORD_BYTES,
  errorMessage,
  type ReadOptions,
  type ReadResult,
} from "./read-result.js";
import { readTensorboard } from "./read-tensorboard.js";
import { relativeStem, runIdentity } from "./run-identity.js";
import { sniffFile } from "./sniff.js";
import { walk } from "./walk.js";

const UNKNOWN_FORMAT = "Cannot read telemetry file: not JSONL, TensorBoard events or an MLflow run";

interface Context {
  readonly result: ReadResult;
  readonly maxRecordBytes: number;
}

/**
 * `root` is the argument the file was found under (its directory for a file argument): run ids
 * of logs that do not name their run come from the path below it.
 */
async function readFile(
  file: string,
  root: string,
  explicit: boolean,
  ctx: Context,
): Promise<void> {
  const { result, maxRecordBytes } = ctx;
  try {
    const kind = await sniffFile(file, explicit);
    if (kind === undefined) {
      if (explicit) result.problems.push({ source: file, message: UNKNOWN_FORMAT });
      return;
    }
    result.files.push(file);
    const fallback = path.basename(path.dirname(path.resolve(file)));
    if (kind === "jsonl") {
      const { run, rank } = runIdentity(relativeStem(root, file), fallback);
      const defaults = rank === undefined ? { run } : { run, rank };
      await readJsonl({ file, defaults }, maxRecordBytes, result);
    } else {
      // The run is the event file's directory: below the argument, or its own name for a file
      // argument (with the parent's name when that directory is just `rank<N>`).
      const parent = path.dirname(path.resolve(file));
      const dir = explicit ? path.basename(parent) : path.relative(root, path.dirname(file));
      const outer = explicit
        ? path.basename(path.dirname(parent))
        : path.basename(path.resolve(root));
      const { rank } = runIdentity(`${dir}/${path.basename(file)}`, outer);
      const { run } = runIdentity(dir, outer);
      await readTensorboard({ file, run, rank: rank ?? 0 }, maxRecordBytes, result);
    }
  } catch (error) {
    result.problems.push({
      source: file,
      message: `Cannot read telemetry file: ${errorMessage(error)}`,
    });
  }
}

async function readMlflow(dir: string, ctx: Context): Promise<void> {
  ctx.result.files.push(dir);
  try {
    await readMlflowRun(dir, ctx.maxRecordBytes, ctx.result);
  } catch (error) {
    const message = `Cannot read MLflow run: ${errorMessage(error)}`;
    ctx.result.problems.push({ source: dir, message });
  }
}

function checkLimit(value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TelemetryError(
      "UNSUPPORTED",
      `Cannot read telemetry: maxRecordBytes "${value}" is not a positive integer`,
    );
  }
  return value;
}

export async function readTelemetry(
  paths: readonly string[],
  options: ReadOptions = {},
): Promise<ReadResult> {
  const ctx: Context = {
    result: { records: [], problems: [], files: [] },
    maxRecordBytes: checkLimit(options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES),
  };
  const kinds: ("dir" | "file" | "other")[] = [];
  for (const target of paths) {
    try {
      const info = await stat(target);
      kinds.push(info.isDirectory() ? "dir" : info.isFile() ? "file" : "other");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "error";
      throw new TelemetryError("NOT_FOUND", `Cannot read telemetry "${target}": ${code}`, {
        cause: error,
      });
    }
  }
  for (const [i, target] of paths.entries()) {
    const kind = kinds[i];
    if (kind === "file") {
      await readFile(target, path.dirname(target), true, ctx);
    } else if (kind === "other") {
      ctx.result.problems.push({
        source: target,
        message: "Cannot read telemetry: not a file or directory",
      });
    } else {
      for await (const entry of walk(target)) {
        if (entry.kind === "file") await readFile(entry.path, target, false, ctx);
        else if (entry.kind === "mlflow-run") await readMlflow(entry.path, ctx);
        else ctx.result.problems.push({ source: entry.path, message: entry.message });
      }
    }
  }
  return ctx.result;
}
