/** The streams and facts about the terminal a command writes to; tests pass their own. */
import pc from "picocolors";

export interface CliStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean | undefined;
}

export interface CliIo {
  readonly stdout: CliStream;
  /** Also where the progress bar draws, so it must be a real stream when it is a terminal. */
  readonly stderr: CliStream & NodeJS.WritableStream;
  /** stdout is a terminal that takes colour (picocolors honours NO_COLOR and FORCE_COLOR). */
  readonly color: boolean;
  readonly cwd: string;
  /** Environment variables (TRAINGUARD_SERVER, TRAINGUARD_TOKEN); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    color: pc.isColorSupported && process.stdout.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
  };
}
