/**
 * Starts one hash worker thread, from the same tree this module was loaded from: `hash-worker.js`
 * when running the build in `dist/`, `hash-worker.ts` when running the sources under tsx.
 */
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

const EXTENSION = extname(fileURLToPath(import.meta.url));
const WORKER_URL = new URL(`./hash-worker${EXTENSION}`, import.meta.url);

/**
 * Under Node 20, tsx 4's `--import` loader registers its hooks on the main thread only (it tests
 * `isMainThread`), so a worker inheriting `execArgv` still cannot load `.ts` files. The worker
 * therefore starts from a tiny script that registers tsx through its API and then imports the
 * TypeScript entry point. tsx is a dev dependency: this branch runs only from the sources.
 */
function typeScriptBootstrap(tsxApi: string): string {
  return `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
}

/** tsx's API module, or undefined where tsx is not installed (a runtime that strips types). */
function resolveTsxApi(): string | undefined {
  try {
    return import.meta.resolve("tsx/esm/api");
  } catch {
    return undefined;
  }
}

export function spawnHashWorker(): Worker {
  const tsxApi = EXTENSION === ".ts" ? resolveTsxApi() : undefined;
  if (tsxApi !== undefined) return new Worker(typeScriptBootstrap(tsxApi), { eval: true });
  return new Worker(WORKER_URL);
}
