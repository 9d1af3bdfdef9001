/**
 * The one error every parser in `formats/` throws. Parsers never decide whether content is
 * dangerous; they only say that bytes could not be read to the end, and why.
 */
export type FormatErrorCode =
  /** The input ended before a structure it declared. */
  | "TRUNCATED"
  /** A structure is not what the format allows (bad magic, bad opcode, bad value). */
  | "MALFORMED"
  /** A length, count, depth or ratio read from the input is over one of our bounds. */
  | "LIMIT_EXCEEDED"
  /** Valid for the format, but a variant we do not parse (for example an unknown compression). */
  | "UNSUPPORTED";

export class FormatError extends Error {
  override readonly name = "FormatError";
  readonly code: FormatErrorCode;
  /** Byte offset in the parsed buffer or file where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(code: FormatErrorCode, message: string, offset?: number, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.offset = offset;
  }
}
