/** Runs `trainguard sign`: reads the key and chain, signs, writes the signature, reports. */
import { lstat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { SignOptions } from "../integrity/index.js";
import { createByteProgress } from "./byte-progress.js";
import { cannotMessage, printError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { InputError, readInput } from "./read-input.js";

/** Keys and certificates are a few KiB. */
const MAX_PEM_FILE = 1024 * 1024;

export interface SignCommandOptions {
  readonly privateKey: string;
  readonly certificateChain?: readonly string[] | undefined;
  readonly signature?: string | undefined;
  readonly serialization: "files" | "shards";
  readonly shardSize?: number | undefined;
  readonly hash: "sha256" | "blake2b";
  readonly ignorePaths?: readonly string[] | undefined;
  readonly allowSymlinks?: true | undefined;
  readonly format: "text" | "json";
  readonly progress: boolean;
}

const loadIntegrity = () => import("../integrity/index.js");

async function defaultSignaturePath(modelPath: string): Promise<string> {
  const info = await lstat(modelPath).catch(() => undefined);
  return info?.isDirectory() === true
    ? join(modelPath, "model.sig")
    : `${modelPath.replace(/[\\/]+$/, "")}.sig`;
}

export async function runSign(
  path: string,
  options: SignCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  const progress = createByteProgress({ wanted: options.progress, stream: io.stderr }, "Hashing");
  try {
    const integrity = await loadIntegrity();
    if (options.shardSize !== undefined && options.serialization !== "shards") {
      throw new InputError("Cannot use --shard-size: it needs --serialization shards");
    }
    const signaturePath = options.signature ?? (await defaultSignaturePath(resolve(io.cwd, path)));
    const modelPath = resolve(io.cwd, path);
    const ignorePaths = (options.ignorePaths ?? []).map((p) => {
      const rel = integrity.modelRelativePath(modelPath, p, io.cwd);
      if (rel === undefined)
        throw new InputError(`Cannot use ignore path "${p}": it is not inside the model "${path}"`);
      return rel;
    });
    const chain = await Promise.all(
      (options.certificateChain ?? []).map((file) =>
        readInput(file, "certificate chain", MAX_PEM_FILE),
      ),
    );
    const signOptions: SignOptions = {
      privateKeyPem: await readInput(options.privateKey, "private key", MAX_PEM_FILE),
      certificateChainPem: chain,
      hashAlgorithm: options.hash,
      serialization: options.serialization,
      ...(options.shardSize === undefined ? {} : { shardSize: options.shardSize }),
      ignorePaths,
      signaturePath: resolve(io.cwd, signaturePath),
      allowSymlinks: options.allowSymlinks === true,
      onProgress: progress.onProgress,
    };
    const result = await integrity.signModel(modelPath, signOptions);
    progress.stop();
    try {
      await writeFile(resolve(io.cwd, signaturePath), result.bundleJson);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unwritable";
      throw new InputError(`Cannot write the signature "${signaturePath}": ${code}`, {
        cause: error,
      });
    }
    const { manifest, signer } = result;
    if (options.format === "json") {
      const document = {
        signed: true,
        path,
        signature: signaturePath,
        signer,
        manifest: { ...manifest, resources: manifest.resources.length },
      };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      const mode =
        manifest.serialization === "shards" ? `shards of ${manifest.shardSize} bytes` : "files";
      io.stdout.write(
        `Signed ${path}: ${manifest.resources.length} ${mode}, ${manifest.hashAlgorithm}; ` +
          `signature written to ${signaturePath} (key ${signer.keyHint.slice(0, 16)}…, ${signer.curve})\n`,
      );
    }
    return ExitCode.Clean;
  } catch (error) {
    progress.stop();
    printError(io, cannotMessage(error, "Cannot sign the model"));
    return ExitCode.CouldNotCheck;
  }
}
