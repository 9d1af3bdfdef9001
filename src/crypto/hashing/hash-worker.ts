/**
 * Entry point of a hash worker thread: owns one read buffer for its whole life and answers each
 * BatchRequest with a BatchReply. Spawned by `spawn-worker.ts`; never imported by other code.
 */
import { parentPort } from "node:worker_threads";
import { hashBatch } from "./hash-batch.js";
import { CHUNK_BYTES } from "./limits.js";
import type { BatchRequest } from "./wire.js";

const port = parentPort;
if (port === null) throw new Error("Cannot start hash worker: not running in a worker thread");

// allocUnsafeSlow: a buffer of our own, never a slice of Node's shared pool.
const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);

port.on("message", (request: BatchRequest) => {
  port.postMessage(hashBatch(request, buffer));
});
