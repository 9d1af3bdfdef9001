/**
 * Runs `trainguard ledger verify`: checks the server's checkpoint with the given keys, its
 * consistency with the last checkpoint this client accepted, and with --full every entry. The
 * saved checkpoint is replaced only after a run that found nothing wrong.
 */
import { type NoteVerifier, parseVerifierKey } from "../ledger/index.js";
import { LedgerClient } from "../server/ledger-client.js";
import { type LedgerVerifyReport, verifyLedger } from "../server/verify-ledger.js";
import { cannotMessage, printError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { defaultStatePath, readLedgerState, writeLedgerState } from "./ledger-state.js";
import { InputError } from "./read-input.js";

export interface LedgerVerifyOptions {
  readonly server?: string | undefined;
  readonly key: string;
  readonly token?: string | undefined;
  readonly origin?: string | undefined;
  readonly witness?: string | undefined;
  readonly full?: true | undefined;
  readonly state?: string | undefined;
  readonly format: "text" | "json";
}

export async function runLedgerVerify(
  options: LedgerVerifyOptions,
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExitCode> {
  try {
    const server = options.server ?? env.TRAINGUARD_SERVER;
    if (server === undefined || server === "") {
      throw new InputError("Cannot verify ledger: give --server or set TRAINGUARD_SERVER");
    }
    const logKey = parseKey(options.key, "--key");
    const witnessKey =
      options.witness === undefined ? undefined : parseKey(options.witness, "--witness");
    const origin = options.origin ?? logKey.name;
    const statePath = options.state ?? defaultStatePath(origin, env);
    const previous = await readLedgerState(statePath, origin, logKey);
    const token = options.token ?? (env.TRAINGUARD_TOKEN || undefined);
    const report = await verifyLedger({
      client: new LedgerClient(server, token),
      origin,
      logKey,
      witnessKey,
      previous,
      full: options.full === true,
    });
    io.stdout.write(options.format === "json" ? toJson(report) : toText(report));
    if (report.problems.length > 0) return ExitCode.Findings;
    if (report.checkpoint !== undefined) await writeLedgerState(statePath, report.checkpoint);
    return ExitCode.Clean;
  } catch (error) {
    printError(io, cannotMessage(error, "Cannot verify ledger"));
    return ExitCode.CouldNotCheck;
  }
}

function parseKey(text: string, option: string): NoteVerifier {
  try {
    return parseVerifierKey(text.trim());
  } catch (error) {
    throw new InputError(`Cannot use ${option} key: ${(error as Error).message}`);
  }
}

function toText(report: LedgerVerifyReport): string {
  const size = report.checkpoint?.size;
  if (report.problems.length === 0) {
    const parts = [`checkpoint size ${size} signed`];
    if (report.witnessed) parts.push("cosigned by the witness");
    parts.push(
      report.previousSize === undefined
        ? "first checkpoint seen (saved)"
        : `consistent with size ${report.previousSize} seen before`,
    );
    if (report.full) parts.push(`all ${size} entries recomputed to its root`);
    return `OK ledger ${report.origin}: ${parts.join(", ")}\n`;
  }
  const lines = [
    `TAMPERED ledger ${report.origin}: ${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}` +
      (size === undefined ? "" : ` (checkpoint size ${size})`),
  ];
  for (const problem of report.problems) {
    const where = problem.index === undefined ? problem.kind : `${problem.kind} ${problem.index}`;
    lines.push(`  ${where}: ${problem.message}`);
  }
  return `${lines.join("\n")}\n`;
}

function toJson(report: LedgerVerifyReport): string {
  return `${JSON.stringify(
    {
      ok: report.problems.length === 0,
      origin: report.origin,
      checkpoint:
        report.checkpoint === undefined
          ? null
          : {
              size: report.checkpoint.size,
              root: Buffer.from(report.checkpoint.rootHash).toString("base64"),
            },
      previous_size: report.previousSize ?? null,
      witnessed: report.witnessed,
      full: report.full,
      problems: report.problems,
    },
    null,
    2,
  )}\n`;
}
