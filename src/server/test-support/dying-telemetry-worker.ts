/**
 * A telemetry thread that dies on purpose: the real one (telemetry-worker.ts), except that a
 * body containing `"run":"die"` makes the thread exit before answering (a crash mid-request).
 * The real module's message listener is wrapped as it registers, so no message is seen early.
 */
import { parentPort } from "node:worker_threads";

type Listener = (request: { op: string; bytes?: Uint8Array }) => void;
const port = parentPort;
if (port !== null) {
  const on = port.on.bind(port);
  port.on = ((event: string, listener: Listener) =>
    on(event, (request: Parameters<Listener>[0]) => {
      const body = Buffer.from(request.bytes ?? []);
      if (event === "message" && request.op === "prepare" && body.includes('"run":"die"')) {
        process.exit(3);
      }
      listener(request);
    })) as typeof port.on;
}
await import("../telemetry/telemetry-worker.js");
