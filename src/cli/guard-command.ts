/** `trainguard guard`: placeholder until the command lands. */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import type { CommandContext } from "./command-context.js";

export function registerGuardCommand(
  _program: CommandUnknownOpts,
  _context: CommandContext,
): void {}
