/** Runs `trainguard env snapshot`: signs the environment's files and writes the signature. */
import { basename, resolve } from "node:path";
import { readInput, writeOutput } from "./env-output.js";
import { cannotMessage, printError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { createProgress } from "./progress.js";

export interface EnvSnapshotOptions {
  readonly privateKey: string;
  readonly certificateChain?: readonly string[] | undefined;
  readonly output?: string | undefined;
  readonly hash?: "sha256" | "blake2b" | undefined;
  readonly progress: boolean;
}

/** `<env name>.env.sig` in the current directory: never inside the environment by default. */
export function defaultSnapshotPath(path: string, cwd: string): string {
  return resolve(cwd, `${basename(resolve(cwd, path)) || "env"}.env.sig`);
}

export async function runEnvSnapshot(
  path: string,
  options: EnvSnapshotOptions,
  io: CliIo,
): Promise<ExitCode> {
  const privateKeyPem = await readInput(options.privateKey, "the private key", io);
  if (privateKeyPem === undefined) return ExitCode.CouldNotCheck;
  const chain: string[] = [];
  for (const file of options.certificateChain ?? []) {
    const text = await readInput(file, "the certificate chain", io);
    if (text === undefined) return ExitCode.CouldNotCheck;
    chain.push(text);
  }
  const output = options.output ?? defaultSnapshotPath(path, io.cwd);
  const progress = createProgress({ wanted: options.progress, stream: io.stderr });
  let bundleJson: string;
  let files: number;
  try {
    const { snapshotEnvironment } = await import("../envcheck/index.js");
    const result = await snapshotEnvironment(path, {
      privateKeyPem,
      signaturePath: resolve(io.cwd, output),
      ...(chain.length === 0 ? {} : { certificateChainPem: chain }),
      ...(options.hash === undefined ? {} : { hashAlgorithm: options.hash }),
      onProgress: (done, total) =>
        progress.onProgress(done, Number.isFinite(total) ? total : done, ""),
    });
    bundleJson = result.bundleJson;
    files = result.manifest.resources.length;
  } catch (error) {
    progress.stop();
    printError(io, cannotMessage(error, "Cannot snapshot the environment"));
    return ExitCode.CouldNotCheck;
  }
  progress.stop();
  if (!(await writeOutput(bundleJson, output, io))) return ExitCode.CouldNotCheck;
  io.stderr.write(`Snapshot of ${files} files written to ${output}\n`);
  return ExitCode.Clean;
}
