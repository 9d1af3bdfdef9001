import { FormatError } from "../format-error.js";
import { readMarshal } from "./marshal-reader.js";
import type { CodeObject } from "./marshal-types.js";
import { PYC_HEADER_BYTES, type PycHeader, readPycHeader } from "./pyc-header.js";

export interface Pyc {
  readonly header: PycHeader;
  /** The module's code object. */
  readonly code: CodeObject;
  /** The marshalled code object: the bytes after the header, up to where marshal stops. */
  readonly body: Uint8Array;
  /** Bytes after the code object; `marshal.loads` ignores them. */
  readonly trailing: number;
}

/** Reads a whole `.pyc`: header, then the marshalled module code object. */
export function readPyc(bytes: Uint8Array): Pyc {
  const header = readPycHeader(bytes);
  const { value, end } = readMarshal(bytes, PYC_HEADER_BYTES, header.version);
  if (value.kind !== "code") {
    throw new FormatError(
      "MALFORMED",
      `Cannot read pyc body: a ${value.kind}, not a code object`,
      PYC_HEADER_BYTES,
    );
  }
  return {
    header,
    code: value.code,
    body: bytes.subarray(PYC_HEADER_BYTES, end),
    trailing: bytes.length - end,
  };
}
