import type { BigIntStats } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FormatError } from "../formats/format-error.js";
import {
  bytesEqual,
  decodePythonSource,
  LITERAL_SEPARATOR,
  type MarshalValue,
  marshalEqual,
  type Pyc,
  type PycHeader,
  readMarshal,
  readPyc,
  scanPythonSource,
  sourceHash,
} from "../formats/pyc/index.js";
import {
  hasStarImport,
  hasStringAnnotations,
  LiteralIndex,
  percentFormatPieces,
  unexplainedInCode,
} from "./bytecode-evidence.js";
import { recompile } from "./bytecode-recompile.js";

export type BytecodeFinding =
  | { readonly kind: "orphan-bytecode"; readonly detail: string }
  | { readonly kind: "bytecode-mismatch"; readonly detail: string }
  | { readonly kind: "unreadable-bytecode"; readonly detail: string };

export interface BytecodeCheckOptions {
  /** Interpreter to recompile the source with and compare exactly. Opt-in: it runs that file. */
  readonly python?: string;
}

/** Our bounds on what we read whole: the biggest modules in real environments are a few MiB. */
export const MAX_PYC_BYTES = 64 * 1024 * 1024;
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

const PYCACHE = "__pycache__";
const OPT_LEVEL = /\.opt-(\d)\.pyc$/;
const OPT_SUFFIX = /\.opt-\d+$/;

/**
 * Checks a compiled cache against the source it belongs to. `sourcePath` is the `.py` the cache
 * belongs to (see `sourceFor`), or null when none exists. Returns undefined when the cache
 * matches its source or Python would never load it. Throws when a file cannot be read or the
 * source is over MAX_SOURCE_BYTES: that is "could not check", not a finding.
 */
export async function checkBytecode(
  pycPath: string,
  sourcePath: string | null,
  options: BytecodeCheckOptions = {},
): Promise<BytecodeFinding | undefined> {
  if (sourcePath === null) return orphan(pycPath);
  const pycSize = (await stat(pycPath)).size;
  if (pycSize > MAX_PYC_BYTES) {
    return unreadable(`"${pycPath}" is ${pycSize} bytes, over the limit of ${MAX_PYC_BYTES}`);
  }
  let pyc: Pyc;
  try {
    pyc = readPyc(await readFile(pycPath));
  } catch (error) {
    if (error instanceof FormatError) return unreadable(`"${pycPath}": ${error.message}`);
    throw error;
  }
  const sourceStat = await stat(sourcePath, { bigint: true });
  if (sourceStat.size > BigInt(MAX_SOURCE_BYTES)) {
    throw new Error(`Cannot check "${pycPath}": source "${sourcePath}" is over the size limit`);
  }
  // A timestamp cache whose recorded mtime or size differs from the source's is stale: the
  // import system (SourceLoader.get_code, _validate_timestamp_pyc) discards it and compiles
  // the source afresh, so whatever code it holds never runs. Reporting it would only be noise.
  if (pyc.header.kind === "timestamp" && !timestampMatches(pyc.header, sourceStat))
    return undefined;
  const source = new Uint8Array(await readFile(sourcePath));
  if (pyc.header.kind === "hash") {
    const problem = hashProblem(pyc.header, source);
    if (problem !== undefined) return mismatch(`"${pycPath}": ${problem}`);
  }
  const problem =
    options.python === undefined
      ? undefined
      : await recompileProblem(options.python, pyc, source, pycPath);
  if (problem === "same") return undefined;
  const detail = problem ?? evidenceProblem(pyc, source, sourcePath);
  return detail === undefined ? undefined : mismatch(`"${pycPath}": ${detail}`);
}

/**
 * The source a cache file belongs to (PEP 3147): `pkg/__pycache__/mod.cpython-311.pyc` →
 * `pkg/mod.py`; a legacy `pkg/mod.pyc` → `pkg/mod.py`. The suffixes come off from the right, as
 * importlib.util.cache_from_source puts them on, so `a.b.cpython-311.opt-1.pyc` → `a.b.py`.
 */
export function sourceFor(pycPath: string): string {
  const dir = dirname(pycPath);
  const file = basename(pycPath);
  if (basename(dir) === PYCACHE) {
    const stem = file.replace(/\.pyc$/i, "").replace(OPT_SUFFIX, "");
    const tag = stem.lastIndexOf(".");
    return join(dirname(dir), `${tag > 0 ? stem.slice(0, tag) : stem}.py`);
  }
  return join(dir, `${file.replace(/\.py[co]$/i, "")}.py`);
}

function orphan(pycPath: string): BytecodeFinding {
  if (basename(dirname(pycPath)) === PYCACHE) {
    return {
      kind: "orphan-bytecode",
      detail:
        `"${pycPath}" has no source "${sourceFor(pycPath)}": Python ignores a __pycache__ ` +
        "entry without its source, but installs and imports do not leave one behind",
    };
  }
  const module = basename(pycPath).replace(/\.py[co]$/i, "");
  return {
    kind: "orphan-bytecode",
    detail:
      `"${pycPath}" has no source: Python imports a sourceless .pyc outside __pycache__ ` +
      `directly (SourcelessFileLoader), so "import ${module}" runs this code with nothing to ` +
      "check it against",
  };
}

function unreadable(detail: string): BytecodeFinding {
  return { kind: "unreadable-bytecode", detail };
}

function mismatch(detail: string): BytecodeFinding {
  return { kind: "bytecode-mismatch", detail };
}

/**
 * PEP 552 / _validate_timestamp_pyc: the header holds int(st_mtime) and st_size, each mod 2^32.
 * Python computes st_mtime as a double, which can round up across a second boundary, so both
 * the exact and the double-rounded second count are accepted as a match (checking more).
 */
function timestampMatches(header: PycHeader & { kind: "timestamp" }, source: BigIntStats): boolean {
  const exact = Number(BigInt.asUintN(32, source.mtimeNs / 1_000_000_000n));
  const seconds = Number(source.mtimeNs / 1_000_000_000n);
  const nanos = Number(source.mtimeNs % 1_000_000_000n);
  const rounded = Number(BigInt.asUintN(32, BigInt(Math.trunc(seconds + nanos * 1e-9))));
  const size = Number(BigInt.asUintN(32, source.size));
  return (
    header.sourceSize === size && (header.sourceMtime === exact || header.sourceMtime === rounded)
  );
}

function hashProblem(header: PycHeader & { kind: "hash" }, source: Uint8Array): string | undefined {
  const expected = sourceHash(source, header.magic);
  if (bytesEqual(expected, header.sourceHash)) return undefined;
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
  const recorded = `records source hash ${hex(header.sourceHash)}, the source hashes to ${hex(expected)}`;
  return header.checkSource
    ? `checked hash-based cache ${recorded}; Python recompiles it by default, but loads it ` +
        "as is under --check-hash-based-pycs never"
    : `unchecked hash-based cache ${recorded}; Python loads it without reading the source ` +
        "(unless run with --check-hash-based-pycs always), so this code runs instead";
}

/** Names and strings of the cached code that the source does not contain. */
function evidenceProblem(pyc: Pyc, source: Uint8Array, sourcePath: string): string | undefined {
  let text: string;
  try {
    text = decodePythonSource(source);
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    return `its source cannot be compiled (${error.message}), so the cached code is not from it`;
  }
  let lineCount = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineCount++;
  const scan = scanPythonSource(text);
  const formatPieces = percentFormatPieces(scan.literalText.split(LITERAL_SEPARATOR));
  const detail = unexplainedInCode(pyc.code, {
    scan,
    // `("%s is " + "a package") % (x,)` folds, then splits at the conversion: index both.
    literalIndex: new LiteralIndex([...scan.literals, ...formatPieces.split(LITERAL_SEPARATOR)]),
    formatPieces,
    basename: basename(sourcePath),
    lineCount,
    stringAnnotations: hasStringAnnotations(text),
    starImport: hasStarImport(text),
    returnAnnotation: text.includes("->"),
    version: pyc.header.version,
  });
  return detail === undefined ? undefined : `cached code does not match its source: ${detail}`;
}

/**
 * Compiles the source with `python` and compares marshalled code byte for byte. Returns "same",
 * a problem, or undefined when that interpreter writes another pyc format (then only the
 * evidence check applies).
 */
async function recompileProblem(
  python: string,
  pyc: Pyc,
  source: Uint8Array,
  pycPath: string,
): Promise<string | undefined> {
  const optimize = Number(OPT_LEVEL.exec(pycPath)?.[1] ?? 0);
  const result = await recompile(python, source, pyc.code.filename, optimize);
  if (!bytesEqual(result.magic, pyc.header.magic)) return undefined;
  if (result.kind === "error") {
    return `its source does not compile with "${python}" (${result.message}), so the cached code is not from it`;
  }
  if (bytesEqual(result.body, pyc.body)) return "same";
  // Same code can marshal to different bytes (FLAG_REF follows reference counts up to 3.10):
  // compare the decoded objects before calling it different.
  let ours: MarshalValue;
  try {
    ours = readMarshal(result.body, 0, pyc.header.version).value;
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    throw new Error(`Cannot read the code "${python}" compiled: ${error.message}`, {
      cause: error,
    });
  }
  if (marshalEqual(ours, { kind: "code", code: pyc.code })) return "same";
  return `cached code differs from the source compiled by "${python}"`;
}
