/**
 * A TensorBoard event file as telemetry: scalar steps, SessionLog START as a `start` record and
 * SessionLog CHECKPOINT as a checkpoint save, all in file order. Unlike TensorBoard's
 * EventAccumulator, steps after a restart or a step regression are not purged: they are the
 * evidence of a rollback (shared/research/training-monitor.md, section 3).
 */
import { open } from "node:fs/promises";
import type { TelemetryRecord } from "../telemetry.js";
import { errorMessage, type ReadSink } from "./read-result.js";
import { StepMerger } from "./step-merger.js";
import { decodeEvent, SESSION_CHECKPOINT, SESSION_START } from "./tb-event.js";
import { readFramedRecords } from "./tfrecord-reader.js";

export interface TensorboardTarget {
  readonly file: string;
  readonly run: string;
  readonly rank: number;
}

export async function readTensorboard(
  target: TensorboardTarget,
  maxRecordBytes: number,
  sink: ReadSink,
): Promise<void> {
  const { file, run, rank } = target;
  const merger = new StepMerger(run, rank);
  const plugins = new Map<string, string>();
  const emit = (records: readonly TelemetryRecord[]): void => {
    sink.records.push(...records);
  };
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    for await (const framed of readFramedRecords(handle, size, maxRecordBytes)) {
      const source = `${file}@${framed.offset}`;
      if (!("data" in framed)) {
        sink.problems.push({
          source,
          message: `Cannot read TensorBoard record at byte ${framed.offset}: ${framed.skippedLength} bytes is more than ${maxRecordBytes}`,
        });
        continue;
      }
      try {
        const event = decodeEvent(framed.data, plugins);
        const base = { run, rank, time: event.wallTime, source };
        if (event.sessionStatus === SESSION_START) {
          emit(merger.flush());
          emit([{ type: "start", ...base }]);
        } else if (event.sessionStatus === SESSION_CHECKPOINT) {
          emit(merger.flush());
          const path = event.checkpointPath;
          emit([{ type: "checkpoint", ...base, action: "save", step: event.step, path }]);
        }
        if (event.scalars.length > 0) {
          emit(merger.add(event.step, event.wallTime, source, event.scalars));
        }
      } catch (error) {
        sink.problems.push({
          source,
          message: `Cannot read TensorBoard event at byte ${framed.offset}: ${errorMessage(error)}`,
        });
      }
    }
  } catch (error) {
    sink.problems.push({ source: file, message: errorMessage(error) });
  } finally {
    emit(merger.flush());
    await handle.close();
  }
}
