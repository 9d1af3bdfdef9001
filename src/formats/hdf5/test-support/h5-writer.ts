/**
 * Writes small HDF5 files in code for tests, with h5wasm (the same library that reads them). It
 * runs in its own worker, like the reader: h5wasm loaded on the main thread beside the reader's
 * worker keeps the process from exiting.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

export type AttributeValue = string | number;

const WRITER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
import(workerData.h5url).then(async (m) => {
  const h5wasm = m.default;
  await h5wasm.ready;
  const file = new h5wasm.File(workerData.path, "w");
  for (const [name, value] of Object.entries(workerData.attributes)) file.create_attribute(name, value);
  const group = file.create_group("model_weights");
  group.create_dataset({ name: "kernel", data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] });
  file.close();
  parentPort.postMessage("done");
}).catch((e) => parentPort.postMessage(String(e)));
`;

/** Returns the bytes of an HDF5 file with these root attributes and one small weight dataset. */
export async function h5Bytes(
  attributes: Readonly<Record<string, AttributeValue>>,
): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), "trainguard-h5-test-"));
  try {
    const path = join(dir, "model.h5");
    const worker = new Worker(WRITER_SOURCE, {
      eval: true,
      workerData: { h5url: import.meta.resolve("h5wasm/node"), path, attributes },
    });
    try {
      const reply = await new Promise<unknown>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      if (reply !== "done") throw new Error(`Cannot write HDF5 test file: ${String(reply)}`);
    } finally {
      await worker.terminate();
    }
    return new Uint8Array(await readFile(path));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
