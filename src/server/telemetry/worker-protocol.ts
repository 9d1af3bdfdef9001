/** Messages between the server and its telemetry thread (worker-engine.ts, telemetry-worker.ts). */
import type { MessagePort } from "node:worker_threads";
import type { ServerErrorCode } from "../server-error.js";
import type { BodyKind } from "./decode-records.js";
import type { ChunkContext } from "./telemetry-chunks.js";
import type { Committed, Prepared } from "./telemetry-engine.js";

export interface WorkerSettings {
  readonly hangSeconds?: number | undefined;
}

/**
 * What the thread is started with: the settings, and the port that carries every request but
 * `prepare` (see telemetry-thread.ts: those go first).
 */
export interface WorkerData extends WorkerSettings {
  readonly monitorPort: MessagePort;
}

export type WorkerRequest =
  | {
      readonly seq: number;
      readonly op: "prepare";
      readonly kind: BodyKind;
      /** The body, its buffer transferred (not copied) when it owns one. */
      readonly bytes: Uint8Array;
      readonly context: ChunkContext;
    }
  | { readonly seq: number; readonly op: "commit"; readonly id: number }
  | { readonly seq: number; readonly op: "abort"; readonly id: number }
  | { readonly seq: number; readonly op: "tick"; readonly now: number };

export type WorkerReply =
  | ({
      readonly seq: number;
      readonly ok: true;
      /** A prepared body's bytes, moved back to the server when it stores a range of them. */
      readonly bytes?: Uint8Array;
    } & Partial<Prepared> &
      Partial<Committed>)
  | {
      readonly seq: number;
      readonly ok: false;
      readonly code: ServerErrorCode;
      readonly message: string;
    };
