/** A CliIo that keeps what a command writes, for running commands in-process. */
import { PassThrough } from "node:stream";
import type { CliIo } from "../../cli/io.js";

export interface CapturedIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

export function captureIo(): CapturedIo {
  let out = "";
  let err = "";
  const stderr = new PassThrough();
  stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  return {
    stdout: {
      write: (chunk: string) => {
        out += chunk;
        return true;
      },
    },
    stderr,
    color: false,
    cwd: process.cwd(),
    out: () => out,
    err: () => err,
  };
}
