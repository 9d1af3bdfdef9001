/**
 * Which reader a file goes to, by name first and content second. In a directory walk only
 * clear cases are read (a `.json` must start with a one-line JSON object, an unnamed file must
 * open with a valid TFRecord header); a file named on the command line gets the benefit of the
 * doubt for JSON lines.
 */
import { open } from "node:fs/promises";
import path from "node:path";
import { parsePythonJson } from "./python-json.js";
import { looksLikeTfRecord } from "./tfrecord-reader.js";

export type FileKind = "jsonl" | "tensorboard";

/** Enough for the first line of any sane JSON-lines log. */
const HEAD_BYTES = 64 * 1024;
const TB_PREFIX = "events.out.tfevents.";
const JSONL_EXTENSIONS: ReadonlySet<string> = new Set([".jsonl", ".ndjson"]);
const OPEN_BRACE = 0x7b;

async function head(file: string): Promise<Uint8Array> {
  const handle = await open(file, "r");
  try {
    const buffer = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function firstNonBlank(bytes: Uint8Array): number | undefined {
  return bytes.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
}

/** The first non-blank line is a whole JSON object. */
function startsWithJsonLine(bytes: Uint8Array): boolean {
  const text = new TextDecoder("utf-8").decode(bytes);
  const line = text.split("\n").find((l) => l.trim() !== "");
  if (line === undefined) return false;
  try {
    const value = parsePythonJson(line);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** `explicit`: the file was named as an argument rather than found in a directory. */
export async function sniffFile(file: string, explicit: boolean): Promise<FileKind | undefined> {
  const name = path.basename(file);
  if (name.startsWith(TB_PREFIX)) return "tensorboard";
  const ext = path.extname(name).toLowerCase();
  if (JSONL_EXTENSIONS.has(ext)) return "jsonl";
  if (ext === ".json" && explicit) return "jsonl";
  const bytes = await head(file);
  if (ext === ".json") return startsWithJsonLine(bytes) ? "jsonl" : undefined;
  if (looksLikeTfRecord(bytes)) return "tensorboard";
  if (explicit && firstNonBlank(bytes) === OPEN_BRACE) return "jsonl";
  return undefined;
}
