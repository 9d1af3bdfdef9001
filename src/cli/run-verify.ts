/** Runs `trainguard verify`: reads the inputs, verifies, writes the report, picks the exit code. */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { VerifyOptions, VerifyReport } from "../integrity/index.js";
import { printable, TOOL_INFO } from "../scan/report/index.js";
import { createByteProgress } from "./byte-progress.js";
import { cannotMessage, printError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { InputError, readInput } from "./read-input.js";
import { recordResults, recordTarget } from "./record-results.js";
import { verifyEvents } from "./result-events.js";

const MAX_PEM_FILE = 1024 * 1024;
/** The library bounds the signature's text; this bounds what we read to get it. */
const MAX_SIGNATURE_FILE = 512 * 1024 * 1024;
const HINT = /^[0-9a-fA-F]{64}$/;

export interface VerifyCommandOptions {
  readonly signature: string;
  readonly publicKey?: string | undefined;
  readonly certificateChain?: readonly string[] | undefined;
  readonly ignorePaths?: readonly string[] | undefined;
  readonly allowSignerIgnorePaths?: true | undefined;
  readonly allowSymlinks?: true | undefined;
  readonly expectKeyHint?: string | undefined;
  readonly expectIdentity?: string | undefined;
  readonly format: "text" | "json" | "sarif";
  readonly output?: string | undefined;
  readonly progress: boolean;
  readonly server?: string | undefined;
}

const loadIntegrity = () => import("../integrity/index.js");
type Integrity = Awaited<ReturnType<typeof loadIntegrity>>;

function render(
  integrity: Integrity,
  report: VerifyReport,
  options: VerifyCommandOptions,
  io: CliIo,
): string {
  switch (options.format) {
    case "json":
      return integrity.toVerifyJson(report);
    case "sarif":
      return integrity.toVerifySarif(report, TOOL_INFO, io.cwd);
    case "text":
      return integrity.toVerifyText(report, {
        color: io.color && options.output === undefined,
        printable,
      });
  }
}

async function verifyOptions(
  integrity: Integrity,
  modelPath: string,
  options: VerifyCommandOptions,
  io: CliIo,
): Promise<VerifyOptions> {
  const chain = options.certificateChain ?? [];
  if ((options.publicKey === undefined) === (chain.length === 0)) {
    throw new InputError("Cannot verify: give either --public-key or --certificate-chain");
  }
  if (options.expectKeyHint !== undefined && !HINT.test(options.expectKeyHint)) {
    throw new InputError(
      `Cannot use --expect-key-hint "${options.expectKeyHint}": not 64 hex digits`,
    );
  }
  const ignorePaths = (options.ignorePaths ?? []).map((p) => {
    const rel = integrity.modelRelativePath(modelPath, p, io.cwd);
    if (rel === undefined)
      throw new InputError(`Cannot use ignore path "${p}": it is not inside the model`);
    return rel;
  });
  return {
    ...(options.publicKey === undefined
      ? {}
      : { publicKeyPem: await readInput(options.publicKey, "public key", MAX_PEM_FILE) }),
    ...(chain.length === 0
      ? {}
      : {
          trustedCertificatesPem: await Promise.all(
            chain.map((file) => readInput(file, "certificate chain", MAX_PEM_FILE)),
          ),
        }),
    signaturePath: resolve(io.cwd, options.signature),
    ignorePaths,
    allowSignerIgnorePaths: options.allowSignerIgnorePaths === true,
    allowSymlinks: options.allowSymlinks === true,
    ...(options.expectKeyHint === undefined ? {} : { expectKeyHint: options.expectKeyHint }),
    ...(options.expectIdentity === undefined ? {} : { expectIdentity: options.expectIdentity }),
  };
}

export async function runVerify(
  path: string,
  options: VerifyCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  const target = recordTarget(options.server, io);
  if (target === null) return ExitCode.CouldNotCheck;
  const progress = createByteProgress({ wanted: options.progress, stream: io.stderr }, "Hashing");
  let integrity: Integrity;
  let report: VerifyReport;
  try {
    integrity = await loadIntegrity();
    const modelPath = resolve(io.cwd, path);
    const base = await verifyOptions(integrity, modelPath, options, io);
    const signature = await readInput(options.signature, "signature", MAX_SIGNATURE_FILE);
    const verified = await integrity.verifyModel(modelPath, signature, {
      ...base,
      onProgress: progress.onProgress,
    });
    // Report the paths as the user typed them.
    report = { ...verified, path, signature: options.signature };
  } catch (error) {
    progress.stop();
    printError(io, cannotMessage(error, "Cannot verify the model"));
    return ExitCode.CouldNotCheck;
  } finally {
    progress.stop();
  }
  const text = render(integrity, report, options, io);
  if (options.output === undefined) {
    io.stdout.write(`${text}\n`);
  } else {
    try {
      await writeFile(options.output, `${text}\n`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unwritable";
      printError(io, `Cannot write the report to "${options.output}": ${code}`);
      return ExitCode.CouldNotCheck;
    }
  }
  if (
    target !== undefined &&
    !(await recordResults(target, verifyEvents(report, io.cwd, target), io))
  ) {
    return ExitCode.CouldNotCheck;
  }
  return report.verified ? ExitCode.Clean : ExitCode.Findings;
}
