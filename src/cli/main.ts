#!/usr/bin/env node
/** Entry point of the `trainguard` binary (`dist/cli/main.js`; `tsx src/cli/main.ts` in development). */
import { ExitCode } from "./exit-codes.js";
import { runCli } from "./program.js";

// A reader that stops early (`trainguard scan … | head`) closes the pipe: later writes fail with
// EPIPE, which is not our failure, so they are dropped and the scan's own status still stands.
// Any other write error (a full disk behind `>`) means the report was lost: exit 2.
let outputLost = false;
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") return;
  outputLost = true;
  process.exitCode = ExitCode.CouldNotCheck;
});

const status = await runCli(process.argv.slice(2));
// exitCode rather than process.exit(), so that a large report piped to stdout is flushed first.
if (!outputLost) process.exitCode = status;
