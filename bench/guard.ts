/**
 * `npm run bench:guard`: what the load guard adds to a model load, measured in the same run
 * against the plain load (issue: "under 50 ms added per load for a typical checkpoint").
 *
 * A ResNet-50-sized state dict would take a while to build; the checkpoint here is a few-MB state
 * dict (BENCH_GUARD_MB, default 8) written with /usr/bin/python3 and torch into
 * `bench/.work/guard/`. One Python process times, in turns, plain `torch.load(path)` and
 * `trainguard.load(path)` through a daemon started by this script: the first guarded load (the
 * daemon scans), warm loads (the daemon answers from its cache after an fstat), and loads after
 * the file's ctime moved (`os.utime`: the daemon rescans every time). Medians of BENCH_RUNS
 * (default 21). The checkpoint is left to settle for the daemon's ctime margin first, as a
 * checkpoint loaded some time after it was written is: its identity then proves its content and
 * neither side hashes (docs/guard.md, "Warm path"); the rescans, of a file whose ctime just
 * moved, get no such proof and show the cost with hashing.
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startGuardServer } from "../src/guard/index.js";

const WORK = fileURLToPath(new URL("./.work/guard/", import.meta.url));
const CLIENT_ROOT = fileURLToPath(new URL("../clients/python/", import.meta.url));
const PYTHON = process.env.TRAINGUARD_TEST_PYTHON ?? "/usr/bin/python3";
const MEGABYTES = Number(process.env.BENCH_GUARD_MB ?? 8);
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const TARGET_ADDED_MS = 50;

const PYTHON_BENCH = `
import json, os, sys, time, statistics
import torch
import trainguard

path, megabytes, runs = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
layers = max(1, int(megabytes))
# float32 tensors of 1 MiB each, like the layers of a small network, plus biases and a step.
state = {"layer%d.weight" % i: torch.randn(512, 512) for i in range(layers)}
state.update({"layer%d.bias" % i: torch.randn(512) for i in range(layers)})
state["step"] = 1000
torch.save(state, path)
size = os.path.getsize(path)
time.sleep(2.2)  # older than the daemon's ctime margin (src/guard/identity-proof.ts)

def ms(fn):
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000

torch.load(path)  # warm the page cache and torch's lazy imports
first_guarded = ms(lambda: trainguard.load(path))
plain, warm, rescan = [], [], []
for _ in range(runs):
    plain.append(ms(lambda: torch.load(path)))
    warm.append(ms(lambda: trainguard.load(path)))
for _ in range(runs):
    os.utime(path)  # moves ctime: the daemon's cache misses and it scans again
    rescan.append(ms(lambda: trainguard.load(path)))
print(json.dumps({
    "size": size, "firstGuarded": first_guarded,
    "plain": statistics.median(plain), "warm": statistics.median(warm),
    "rescan": statistics.median(rescan), "torch": torch.__version__,
}))
`;

interface Figures {
  size: number;
  firstGuarded: number;
  plain: number;
  warm: number;
  rescan: number;
  torch: string;
}

function runPython(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ["-c", PYTHON_BENCH, ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const server = await startGuardServer({ socketPath: join(WORK, "guard.sock") });
  try {
    // Not spawnSync: the daemon runs on this process's event loop and must answer meanwhile.
    const child = await runPython([join(WORK, "checkpoint.pt"), String(MEGABYTES), String(RUNS)], {
      ...process.env,
      PYTHONPATH: CLIENT_ROOT,
      TRAINGUARD_GUARD_SOCKET: server.socketPath,
      PYTHONDONTWRITEBYTECODE: "1",
    });
    if (child.status !== 0) {
      throw new Error(`Cannot run the Python benchmark: exit ${child.status}: ${child.stderr}`);
    }
    const f = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as Figures;
    const row = (label: string, ms: number): void => {
      const added = ms - f.plain;
      console.log(
        `${label.padEnd(30)} ${ms.toFixed(1).padStart(8)} ms  added ${added.toFixed(1).padStart(6)} ms  ratio ${(ms / f.plain).toFixed(2)}`,
      );
    };
    console.log(`## trainguard.load vs torch.load (torch ${f.torch}, median of ${RUNS})`);
    console.log(`checkpoint                     ${(f.size / 1024 ** 2).toFixed(1)} MiB state dict`);
    console.log(`${"plain torch.load".padEnd(30)} ${f.plain.toFixed(1).padStart(8)} ms`);
    row("trainguard.load, first", f.firstGuarded);
    row("trainguard.load, warm (cached)", f.warm);
    row("trainguard.load, rescanned", f.rescan);
    const worst = Math.max(f.warm, f.rescan) - f.plain;
    console.log(
      `target: < ${TARGET_ADDED_MS} ms added per load: ${worst < TARGET_ADDED_MS ? "met" : "NOT met"} (worst median ${worst.toFixed(1)} ms)`,
    );
  } finally {
    await server.close();
  }
}

await main();
