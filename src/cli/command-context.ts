/** What every command registered on the program gets: where to write and how to report its status. */
import type { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";

export interface CommandContext {
  readonly io: CliIo;
  /** The exit status the command finished with; `runCli` returns it. */
  setExitCode(code: ExitCode): void;
}
