/**
 * `npm run bench:scan`: the scanner's two performance targets, each against a baseline measured
 * in the same run on the same files.
 *
 * 1. A 1 GiB PyTorch checkpoint, scanned in a fresh process (so its peak RSS is the scan's own):
 *    time, peak memory, and bytes read / file size. Baseline: `cat` of the file.
 * 2. A 64 MB plain pickle of floats and strings: MB/s, peak memory, against `cat`.
 * 3. A directory of at least 200 mixed checkpoints (the committed fixtures, copied, plus
 *    generated ones): files/s and MB/s, against `cat` of the same files.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { plainPickle } from "./plain-pickle.js";
import { writeTorchZip } from "./torch-zip-writer.js";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const WORK = join(HERE, ".work");
const FIXTURES = join(HERE, "..", "fixtures");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GIB = 1024 ** 3;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Runs the scan of `paths` in a child process; returns its wall time and peak RSS. */
function scanInChild(paths: string[]): { seconds: number; maxRssMB: number; report: string } {
  const script = `
    import { scanPath } from ${JSON.stringify(join(HERE, "..", "src", "index.ts"))};
    const t = process.hrtime.bigint();
    const report = await scanPath(${JSON.stringify(paths)});
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    const f = report.files[0];
    process.stdout.write(JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024,
      summary: report.summary, bytesRead: f?.bytesRead, size: f?.size, verdict: f?.verdict }));
  `;
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const parsed = JSON.parse(out) as { seconds: number; maxRssMB: number };
  return { seconds: parsed.seconds, maxRssMB: parsed.maxRssMB, report: out };
}

function cat(paths: string[]): number {
  return time(() => {
    const r = spawnSync("cat", paths, { stdio: ["ignore", "ignore", "inherit"] });
    if (r.status !== 0) throw new Error("Cannot run cat baseline");
  });
}

async function bigCheckpoint(): Promise<void> {
  const path = join(WORK, "big-1gib.pt");
  // 64 tensors of 4,194,304 float32 = 1 GiB of storage.
  const numels = new Array(64).fill(GIB / 64 / 4);
  const size = await writeTorchZip(path, "big-1gib", numels);
  const scans = Array.from({ length: RUNS }, () => scanInChild([path]));
  const cats = Array.from({ length: RUNS }, () => cat([path]));
  const last = JSON.parse(scans[scans.length - 1]?.report ?? "{}") as {
    bytesRead: number;
    verdict: string;
  };
  const scanS = median(scans.map((s) => s.seconds));
  const catS = median(cats);
  console.log("## 1 GiB PyTorch checkpoint");
  console.log(`file size              ${(size / GIB).toFixed(3)} GiB, verdict ${last.verdict}`);
  console.log(`scan time (median/${RUNS}) ${(scanS * 1000).toFixed(1)} ms`);
  console.log(`peak RSS (median)      ${median(scans.map((s) => s.maxRssMB)).toFixed(1)} MB`);
  console.log(
    `bytes read / size      ${last.bytesRead} / ${size} = ${(last.bytesRead / size).toExponential(2)}`,
  );
  console.log(`cat baseline (median)  ${(catS * 1000).toFixed(1)} ms`);
  console.log(`ratio scan / cat       ${(scanS / catS).toFixed(4)}`);
  rmSync(path);
}

function largePickle(): void {
  const path = join(WORK, "plain-64mb.pkl");
  writeFileSync(path, plainPickle(64 * 1024 ** 2));
  const size = statSync(path).size;
  const scans = Array.from({ length: RUNS }, () => scanInChild([path]));
  const cats = Array.from({ length: RUNS }, () => cat([path]));
  const scanS = median(scans.map((s) => s.seconds));
  const catS = median(cats);
  const last = JSON.parse(scans[0]?.report ?? "{}") as { verdict: string };
  console.log("\n## 64 MB plain pickle (dict of float and string lists)");
  console.log(
    `file size              ${(size / 1024 ** 2).toFixed(1)} MB, verdict ${last.verdict}`,
  );
  console.log(
    `scan (median/${RUNS})      ${(scanS * 1000).toFixed(0)} ms: ${(size / 1024 ** 2 / scanS).toFixed(1)} MB/s`,
  );
  console.log(`peak RSS (median)      ${median(scans.map((s) => s.maxRssMB)).toFixed(1)} MB`);
  console.log(`cat (median/${RUNS})       ${(catS * 1000).toFixed(0)} ms`);
  console.log(`ratio scan / cat       ${(scanS / catS).toFixed(1)}`);
  rmSync(path);
}

async function mixedDirectory(): Promise<void> {
  const dir = join(WORK, "mixed");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const sources: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name !== "manifest.json" && e.name !== "README.md") sources.push(p);
    }
  };
  walk(FIXTURES);
  let n = 0;
  while (n < 180) {
    for (const src of sources) {
      copyFileSync(src, join(dir, `${String(n).padStart(4, "0")}-${src.split("/").pop()}`));
      n += 1;
    }
  }
  // Twenty larger checkpoints (8-32 MiB) so MB/s reflects real model files.
  for (let i = 0; i < 20; i++) {
    const numels = new Array(8).fill(((i % 4) + 1) * 262_144);
    await writeTorchZip(join(dir, `gen-${i}.pt`), `gen-${i}`, numels);
    n += 1;
  }
  const files = readdirSync(dir).map((f) => join(dir, f));
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const scans = Array.from({ length: RUNS }, () => scanInChild([dir]));
  const cats = Array.from({ length: RUNS }, () => cat(files));
  const scanS = median(scans.map((s) => s.seconds));
  const catS = median(cats);
  const summary = (JSON.parse(scans[0]?.report ?? "{}") as { summary: unknown }).summary;
  console.log("\n## Directory of mixed checkpoints");
  console.log(`files                  ${files.length} (${(bytes / 1024 ** 2).toFixed(1)} MB)`);
  console.log(`verdicts               ${JSON.stringify(summary)}`);
  console.log(
    `scan (median/${RUNS})      ${(scanS * 1000).toFixed(0)} ms: ${(files.length / scanS).toFixed(0)} files/s, ${(bytes / 1024 ** 2 / scanS).toFixed(0)} MB/s`,
  );
  console.log(
    `cat (median/${RUNS})       ${(catS * 1000).toFixed(0)} ms: ${(files.length / catS).toFixed(0)} files/s, ${(bytes / 1024 ** 2 / catS).toFixed(0)} MB/s`,
  );
  console.log(`ratio scan / cat       ${(scanS / catS).toFixed(2)}`);
  rmSync(dir, { recursive: true, force: true });
}

mkdirSync(WORK, { recursive: true });
await bigCheckpoint();
largePickle();
await mixedDirectory();
