/**
 * A thin, bounded wrapper over h5wasm (the HDF5 C library compiled to wasm, so its memory bugs
 * stay inside the sandbox), run in a worker with a timeout (`h5-worker.ts`): opens a file
 * read-only and reads string attributes of the root group. It never reads a dataset, never lists groups and never follows links (external links
 * would open other files).
 */
import { FormatError } from "../format-error.js";
import { askHdf5Worker, HDF5_REQUEST_TIMEOUT_MS } from "./h5-worker.js";

/**
 * The HDF5 superblock signature (HDF5 File Format Specification, section II.A). The spec lets a
 * user block of 512, 1024, 2048... bytes come first; we sniff offset 0 only, which is where
 * h5py and Keras put it. A file with a user block is then "unknown" and so unscannable.
 */
export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a] as const;

export function isHdf5(head: Uint8Array): boolean {
  return HDF5_SIGNATURE.every((b, i) => head[i] === b);
}

export interface RootAttributes {
  /** Every attribute name on the root group, read or not. */
  readonly names: readonly string[];
  /** The requested attributes that exist, as strings. */
  readonly values: ReadonlyMap<string, string>;
}

function asString(value: unknown, name: string): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === "string") return value[0];
  if (value instanceof Uint8Array) return new TextDecoder("utf-8", { fatal: false }).decode(value);
  throw new FormatError("MALFORMED", `Cannot read attribute '${name}': it is not a string`);
}

/**
 * Reads the named root attributes of the HDF5 file at `path`, each at most `maxBytes` long, in
 * a worker that is stopped after `timeoutMs`. Throws FormatError for anything HDF5 cannot open
 * or read, for a reader that crashes, and (LIMIT_EXCEEDED) for one that takes too long.
 */
export async function readHdf5RootAttributes(
  path: string,
  wanted: readonly string[],
  maxBytes: number,
  timeoutMs: number = HDF5_REQUEST_TIMEOUT_MS,
): Promise<RootAttributes> {
  const reply = await askHdf5Worker({ path, wanted, maxBytes }, timeoutMs);
  if (!reply.ok) {
    if (reply.stage === "limit") {
      throw new FormatError("LIMIT_EXCEEDED", `Cannot read HDF5 file: ${reply.message}`);
    }
    const cause = describe(reply.message);
    const code = cause.startsWith("truncated file") ? "TRUNCATED" : "MALFORMED";
    const action = reply.stage === "open" ? "open HDF5 file" : "read HDF5 attributes";
    throw new FormatError(code, `Cannot ${action}: ${cause}`);
  }
  const values = new Map<string, string>();
  for (const [name, value] of reply.values) {
    const text = asString(value, name);
    if (text.length > maxBytes) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot read attribute '${name}': over ${maxBytes} bytes`,
      );
    }
    values.set(name, text);
  }
  return { names: reply.names, values };
}

/** HDF5's error stack ends with the innermost cause ("truncated file: eof = ..."): keep that. */
function describe(text: string): string {
  const causes = [...text.matchAll(/ in \w+\(\): (.+)$/gm)].map((m) => m[1] ?? "");
  const line = causes.at(-1) ?? text.split("\n").find((l) => l.trim() !== "") ?? "unknown error";
  return line.trim().slice(0, 200);
}
