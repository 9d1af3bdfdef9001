import type { ByteSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { dtypeHasObject, dtypeItemSize, type NpyDtype, toDtype, toShape } from "./dtype.js";
import { parsePyLiteral } from "./py-literal.js";

/**
 * The .npy header (numpy/lib/format.py, "NEP 1" format description): the magic "\x93NUMPY", a
 * major and minor version, a little-endian header length (u16 in 1.0, u32 in 2.0 and 3.0), then
 * a Python dict literal with exactly the keys 'descr', 'fortran_order' and 'shape'. Version 3.0
 * headers are UTF-8, earlier ones latin-1.
 */
export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] as const;
/** Magic, 2 version bytes and the u16 (1.0) or u32 (2.0, 3.0) length. */
const PREFIX_V1 = 10;
const PREFIX_V2 = 12;
/** Our hard cap on the header; numpy itself refuses more than NUMPY_HEADER_LIMIT characters. */
export const MAX_NPY_HEADER_BYTES = 1024 * 1024;
/** numpy's `_MAX_HEADER_SIZE`; np.load lifts it only when allow_pickle=True. */
export const NUMPY_HEADER_LIMIT = 10_000;

export interface NpyHeader {
  readonly version: readonly [major: number, minor: number];
  /** Bytes of the header dict, after the prefix. */
  readonly headerLength: number;
  /** First byte of array data. */
  readonly dataOffset: number;
  readonly descr: NpyDtype;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** An object field anywhere in the dtype: the data section is a pickle. */
  readonly hasObject: boolean;
  /** Bytes per element, or null for objects and sizes we cannot know. */
  readonly itemSize: number | null;
  /** The header is longer than numpy reads by default (so np.load needs allow_pickle=True). */
  readonly overNumpyHeaderLimit: boolean;
}

const EXPECTED_KEYS = ["descr", "fortran_order", "shape"];

export function sniffNpy(bytes: Uint8Array): boolean {
  return NPY_MAGIC.every((b, i) => bytes[i] === b);
}

/** How many bytes from the start of the file hold the whole header, from its first 12 bytes. */
export function npyHeaderEnd(prefix: Uint8Array): number {
  if (prefix.length < PREFIX_V1) {
    throw new FormatError("TRUNCATED", `Cannot read npy prefix: "${prefix.length}" bytes`);
  }
  if (!sniffNpy(prefix)) throw new FormatError("MALFORMED", "Cannot read npy prefix: bad magic", 0);
  const major = prefix[6]!;
  const minor = prefix[7]!;
  if (minor !== 0 || major < 1 || major > 3) {
    throw new FormatError(
      "UNSUPPORTED",
      `Cannot read npy version "${major}.${minor}": only 1.0, 2.0 and 3.0 exist`,
      6,
    );
  }
  if (major > 1 && prefix.length < PREFIX_V2) {
    throw new FormatError("TRUNCATED", `Cannot read npy prefix: "${prefix.length}" bytes`);
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const length = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (length > MAX_NPY_HEADER_BYTES) {
    throw new FormatError("LIMIT_EXCEEDED", `Cannot read npy header: "${length}" bytes`, 8);
  }
  return (major === 1 ? PREFIX_V1 : PREFIX_V2) + length;
}

/** Parses the header at the start of `bytes`, which must hold at least `npyHeaderEnd` bytes. */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader {
  const dataOffset = npyHeaderEnd(bytes);
  if (bytes.length < dataOffset) {
    throw new FormatError(
      "TRUNCATED",
      `Cannot read npy header: needs "${dataOffset}" bytes, has "${bytes.length}"`,
    );
  }
  const major = bytes[6]!;
  const prefix = major === 1 ? PREFIX_V1 : PREFIX_V2;
  const body = bytes.subarray(prefix, dataOffset);
  let text: string;
  if (major === 3) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    } catch (error) {
      throw new FormatError("MALFORMED", "Cannot decode npy header: invalid UTF-8", prefix, {
        cause: error,
      });
    }
  } else {
    // True ISO-8859-1, as numpy decodes it (TextDecoder's "latin1" is windows-1252).
    text = latin1(body);
  }
  const dict = parsePyLiteral(text);
  if (dict === null || typeof dict !== "object" || dict.kind !== "dict") {
    throw new FormatError("MALFORMED", "Cannot read npy header: not a dict", prefix);
  }
  const keys = dict.entries.map(([key]) => key as string).sort();
  if (keys.join() !== EXPECTED_KEYS.join()) {
    throw new FormatError("MALFORMED", `Cannot read npy header: keys "${keys.join(", ")}"`, prefix);
  }
  const get = (key: string) => dict.entries.find(([k]) => k === key)![1];
  const fortranOrder = get("fortran_order");
  if (typeof fortranOrder !== "boolean") {
    throw new FormatError(
      "MALFORMED",
      "Cannot read npy header: fortran_order is not a bool",
      prefix,
    );
  }
  const shapeValue = get("shape");
  if (shapeValue === null || typeof shapeValue !== "object" || shapeValue.kind !== "tuple") {
    // numpy requires a tuple here, unlike subarray shapes where an int is allowed.
    throw new FormatError("MALFORMED", "Cannot read npy header: shape is not a tuple", prefix);
  }
  const descr = toDtype(get("descr"));
  return {
    version: [major, 0],
    headerLength: dataOffset - prefix,
    dataOffset,
    descr,
    fortranOrder,
    shape: toShape(shapeValue, "shape"),
    hasObject: dtypeHasObject(descr),
    itemSize: dtypeItemSize(descr),
    overNumpyHeaderLimit: text.length > NUMPY_HEADER_LIMIT,
  };
}

/** Chunked so a large header does not exceed the argument limit of String.fromCharCode. */
function latin1(bytes: Uint8Array): string {
  const CHUNK = 8192;
  let out = "";
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return out;
}

/** Reads and parses the header of a .npy file, touching only the header bytes. */
export async function readNpyHeader(source: ByteSource): Promise<NpyHeader> {
  const prefix = await source.read(0, Math.min(PREFIX_V2, source.size));
  const end = npyHeaderEnd(prefix);
  if (end > source.size) {
    throw new FormatError(
      "TRUNCATED",
      `Cannot read npy header: needs "${end}" bytes, file has "${source.size}"`,
    );
  }
  return parseNpyHeader(await source.read(0, end));
}
