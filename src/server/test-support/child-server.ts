/** `trainguard serve` as a real child process, for kill and multi-process tests. */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const MAIN = join(ROOT, "src", "cli", "main.ts");
const TSX = import.meta.resolve("tsx");

export interface ChildServer {
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
  readonly stderr: () => string;
}

/**
 * Starts `trainguard serve --port 0 ARGS`, or `script ARGS` when a script is given (one that
 * prints the same first line, e.g. bench/ingest-server.ts).
 */
export async function spawnServer(args: readonly string[], script?: string): Promise<ChildServer> {
  const command = script === undefined ? [MAIN, "serve", "--port", "0"] : [script];
  const profile = process.env.TRAINGUARD_PROFILE_DIR;
  const flags = profile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profile}`];
  const child = spawn(process.execPath, [...flags, "--import", TSX, ...command, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal ?? -1));
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    void exited.then((code) =>
      reject(new Error(`serve exited ${code} before listening: ${stderr}`)),
    );
  });
  const url = /^trainguard listening on (http:\/\/\S+)$/.exec(first)?.[1];
  if (url === undefined) throw new Error(`serve printed "${first}", not its URL`);
  return { url, child, exited, stderr: () => stderr };
}
