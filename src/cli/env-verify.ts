/** Runs `trainguard env verify`: checks the environment and writes the report. */
import type { EnvProgress, EnvReport } from "../envcheck/index.js";
import { readInput, writeOutput } from "./env-output.js";
import { cannotMessage, printError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { createProgress, type Progress } from "./progress.js";
import { recordResults, recordTarget } from "./record-results.js";
import { envEvents } from "./result-events.js";

export interface EnvVerifyOptions {
  readonly format: "text" | "json" | "sarif";
  readonly output?: string | undefined;
  readonly package?: readonly string[] | undefined;
  readonly python?: string | undefined;
  readonly dpkgInfo?: string | undefined;
  readonly baseline?: string | undefined;
  readonly publicKey?: string | undefined;
  readonly certificate?: readonly string[] | undefined;
  readonly progress: boolean;
  readonly quiet?: true | undefined;
  readonly server?: string | undefined;
}

/** Loaded on first use, so `--help` does not load the checker. */
const loadEnvcheck = () => import("../envcheck/index.js");

/** A bar per phase (hashing, then bytecode), each restarted when its total changes. */
function phasedProgress(wanted: boolean, io: CliIo): { onProgress: EnvProgress; stop(): void } {
  let current: Progress | undefined;
  let phase = "";
  return {
    onProgress(next, done, total, path) {
      if (next !== phase) {
        current?.stop();
        current = createProgress({ wanted, stream: io.stderr });
        phase = next;
      }
      current?.onProgress(done, total, path);
    },
    stop() {
      current?.stop();
    },
  };
}

async function baselineOptions(options: EnvVerifyOptions, io: CliIo) {
  if (options.baseline === undefined) {
    if (options.publicKey !== undefined || options.certificate !== undefined) {
      printError(io, "Cannot use --public-key or --certificate: they need --baseline");
      return null;
    }
    return undefined;
  }
  if (options.publicKey === undefined && options.certificate === undefined) {
    printError(io, "Cannot check the baseline: give --public-key or --certificate");
    return null;
  }
  const signatureJson = await readInput(options.baseline, "the baseline", io);
  if (signatureJson === undefined) return null;
  const publicKeyPem =
    options.publicKey === undefined
      ? undefined
      : await readInput(options.publicKey, "the public key", io);
  if (options.publicKey !== undefined && publicKeyPem === undefined) return null;
  const certificates: string[] = [];
  for (const path of options.certificate ?? []) {
    const text = await readInput(path, "the certificate", io);
    if (text === undefined) return null;
    certificates.push(text);
  }
  return {
    signaturePath: options.baseline,
    signatureJson,
    ...(publicKeyPem === undefined ? {} : { publicKeyPem }),
    ...(certificates.length === 0 ? {} : { trustedCertificatesPem: certificates }),
  };
}

export async function runEnvVerify(
  path: string,
  options: EnvVerifyOptions,
  io: CliIo,
): Promise<ExitCode> {
  const target = recordTarget(options.server, io);
  if (target === null) return ExitCode.CouldNotCheck;
  const baseline = await baselineOptions(options, io);
  if (baseline === null) return ExitCode.CouldNotCheck;
  let envcheck: Awaited<ReturnType<typeof loadEnvcheck>>;
  try {
    envcheck = await loadEnvcheck();
  } catch (error) {
    printError(io, cannotMessage(error, "Cannot load the environment checker"));
    return ExitCode.CouldNotCheck;
  }
  const progress = phasedProgress(options.progress && options.quiet !== true, io);
  let report: EnvReport;
  try {
    report = await envcheck.checkEnvironment(path, {
      onProgress: progress.onProgress,
      ...(options.package === undefined ? {} : { packages: options.package }),
      ...(options.python === undefined ? {} : { python: options.python }),
      ...(options.dpkgInfo === undefined ? {} : { dpkgInfoDir: options.dpkgInfo }),
      ...(baseline === undefined ? {} : { baseline }),
    });
  } catch (error) {
    progress.stop();
    const known = error instanceof envcheck.EnvCheckError;
    printError(
      io,
      cannotMessage(
        error,
        known ? "Cannot check the environment" : "Cannot check the environment (internal error)",
      ),
    );
    return ExitCode.CouldNotCheck;
  }
  progress.stop();
  const text =
    options.format === "json"
      ? envcheck.envReportToJson(report)
      : options.format === "sarif"
        ? envcheck.envReportToSarif(report)
        : envcheck.envReportToText(report, {
            color: io.color && options.output === undefined,
            quiet: options.quiet === true,
          });
  if (!(await writeOutput(text, options.output, io))) return ExitCode.CouldNotCheck;
  if (target !== undefined && !(await recordResults(target, envEvents(report, target), io))) {
    return ExitCode.CouldNotCheck;
  }
  return report.summary.failing === 0 ? ExitCode.Clean : ExitCode.Findings;
}
