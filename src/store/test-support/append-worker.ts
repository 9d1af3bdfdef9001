/**
 * A child process for the concurrency tests: opens the store named in argv[2], appends batches
 * of distinct entries and prints one JSON line per acknowledged batch. It prints "ready" once
 * the store is open and starts appending when a line arrives on stdin.
 */
import { ledgerAppendPlan } from "../append-plan.js";
import { openStore } from "../open-store.js";
import {
  type AppendWorkerAck,
  type AppendWorkerArgs,
  workerBatchSize,
  workerEntry,
} from "./append-worker-protocol.js";

const args = JSON.parse(process.argv[2] ?? "") as AppendWorkerArgs;
const store = await openStore(args.options);
const encoder = new TextEncoder();
// Barrier: every worker has opened (and migrated) before any appends, so their appends overlap.
process.stdout.write("ready\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
process.stdin.destroy();
try {
  for (let batch = 0; batch < args.batches; batch++) {
    const count = workerBatchSize(args, batch);
    const entries = Array.from({ length: count }, (_, k) =>
      encoder.encode(workerEntry(args.worker, batch, k)),
    );
    const { firstIndex } = await store.appendEntries(entries, ledgerAppendPlan);
    // A pause between batches, like requests arriving, so other writers get the lock between ours.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * args.pauseMs));
    const ack: AppendWorkerAck = { worker: args.worker, batch, firstIndex, count };
    process.stdout.write(`${JSON.stringify(ack)}\n`);
  }
} finally {
  await store.close();
}
