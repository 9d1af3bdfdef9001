import {
  atLeast,
  type CodeObject,
  LITERAL_SEPARATOR,
  type MarshalValue,
  NAMED_CHAR_WILDCARD,
  type PythonSourceScan,
  type PythonVersion,
} from "../formats/pyc/index.js";
import { demangleCandidates, isSyntheticName } from "./bytecode-names.js";

/** What a code object is checked against: its source, scanned. */
export interface SourceEvidence {
  readonly scan: PythonSourceScan;
  /** The source's file name, which every co_filename must end with. */
  readonly basename: string;
  readonly lineCount: number;
  /** `from __future__ import annotations`: annotations compile to unparsed-expression strings. */
  readonly stringAnnotations: boolean;
  /** `from m import *`, which compiles to the constant ("*",). */
  readonly starImport: boolean;
  /** A `->` return annotation, whose key in the annotations tuple is the string "return". */
  readonly returnAnnotation: boolean;
  /** Whole literals by first character, for recognising folded concatenations. */
  readonly literalIndex: LiteralIndex;
  /** The pieces of `%`-format literals, see percentFormatPieces. */
  readonly formatPieces: string;
  readonly version: PythonVersion;
}

/**
 * The compiler folds `"-" * 70` up to 4096 characters (ast_opt.c MAX_STR_SIZE) and then joins
 * with `+` further; past our bound a constant must occur as written.
 */
const MAX_FOLDED_LENGTH = 64 * 1024;
const ANNOTATION_TEXT = /^[\p{ID_Continue}\s[\](),.|:'"*=\-+~<>@!/%&^{}]*$/u;
const IDENTIFIERS = /[\p{ID_Start}_][\p{ID_Continue}]*/gu;
const FUTURE_ANNOTATIONS = /^\s*from\s+__future__\s+import\s+[^\n]*\bannotations\b/m;

/** printf-style conversions that 3.11+ compiles like f-string fields: flags, width, precision. */
const PERCENT_SPEC = /%(?:%|([-+ #0]*)(\d*)(?:\.(\d*))?([sra]))/g;

/**
 * From 3.11 the compiler turns `"a%5sb" % (x,)` into f-string code (bpo-28307), so the
 * constants are the text pieces ("a", "b", with `%%` as `%`) and format specs (">5"). Returns
 * those pieces of every literal holding `%`, separated by LITERAL_SEPARATOR.
 */
export function percentFormatPieces(literals: Iterable<string>): string {
  const out: string[] = [];
  for (const literal of literals) {
    if (!literal.includes("%")) continue;
    out.push(
      literal.replace(PERCENT_SPEC, (_whole, flags: string, width: string, precision, conv) => {
        if (conv === undefined) return "%";
        const align = width !== "" && !flags.includes("-") ? ">" : "";
        const tail = precision === undefined ? "" : `.${precision === "" ? "0" : precision}`;
        return `${LITERAL_SEPARATOR}${align}${width}${tail}${LITERAL_SEPARATOR}`;
      }),
    );
  }
  return out.join(LITERAL_SEPARATOR);
}

const STAR_IMPORT = /\bimport\s*\*/;

export function hasStringAnnotations(source: string): boolean {
  return FUTURE_ANNOTATIONS.test(source);
}

export function hasStarImport(source: string): boolean {
  return STAR_IMPORT.test(source);
}

/**
 * The first name or string constant in `root` (nested code objects included) that its source
 * does not explain, described for a person; undefined when everything is accounted for. This
 * catches cached code swapped for code compiled from other source; it cannot see code that only
 * rearranges what the source already names, which is what recompiling (`--python`) is for.
 */
export function unexplainedInCode(root: CodeObject, evidence: SourceEvidence): string | undefined {
  const seen = new Set<object>();
  const pending: CodeObject[] = [root];
  for (let code = pending.pop(); code !== undefined; code = pending.pop()) {
    if (seen.has(code)) continue;
    seen.add(code);
    const problem = checkCode(code, evidence, pending, seen);
    if (problem !== undefined) return `${problem} in code object "${code.qualname ?? code.name}"`;
  }
  return undefined;
}

function checkCode(
  code: CodeObject,
  evidence: SourceEvidence,
  pending: CodeObject[],
  seen: Set<object>,
): string | undefined {
  const filename = code.filename.split(/[\\/]/).pop() ?? "";
  if (filename !== evidence.basename) {
    return `co_filename "${code.filename}" does not name the source "${evidence.basename}"`;
  }
  if (code.firstLineNo > evidence.lineCount + 1) {
    return `first line ${code.firstLineNo} is past the source's ${evidence.lineCount} lines`;
  }
  const names = [code.name, ...(code.qualname?.split(".") ?? []), ...code.names];
  for (const name of [...names, ...code.localNames, ...code.freeVars, ...code.cellVars]) {
    if (!explainsName(name, evidence)) return `name "${name}" does not occur in the source`;
  }
  const values: MarshalValue[] = [...code.consts];
  for (let value = values.pop(); value !== undefined; value = values.pop()) {
    switch (value.kind) {
      case "str":
        if (!explainsString(value.value, evidence)) {
          return `string constant ${JSON.stringify(clip(value.value))} does not occur in the source`;
        }
        break;
      case "bytes": {
        const text = latin1(value.value);
        if (!explainsString(text, evidence)) {
          return `bytes constant ${JSON.stringify(clip(text))} does not occur in the source`;
        }
        break;
      }
      case "code":
        pending.push(value.code);
        break;
      case "tuple":
      case "list":
      case "set":
      case "frozenset":
        if (!seen.has(value)) {
          seen.add(value);
          values.push(...value.items);
        }
        break;
      case "dict":
        if (!seen.has(value)) {
          seen.add(value);
          for (const [key, item] of value.entries) values.push(key, item);
        }
        break;
      default:
        // Numbers and singletons: spelled too many ways (0x10, 1_000, folded 2**8) to look up.
        break;
    }
  }
  return undefined;
}

/** Bytes as code points 0..255, the form the scanner gives bytes literals. */
function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 0x1000) {
    out += String.fromCharCode(...bytes.subarray(i, i + 0x1000));
  }
  return out;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** An identifier of the source, a compiler-made name, a private name mangled, or dotted parts. */
function explainsName(name: string, evidence: SourceEvidence): boolean {
  const identifiers = evidence.scan.identifiers;
  if (name === "" || identifiers.has(name) || isSyntheticName(name)) return true;
  if (name.includes(".")) {
    return name.split(".").every((part) => part !== "" && explainsName(part, evidence));
  }
  return demangleCandidates(name).some(
    ([owner, original]) =>
      identifiers.has(original) && [...identifiers].some((id) => id.replace(/^_+/, "") === owner),
  );
}

function explainsString(value: string, evidence: SourceEvidence): boolean {
  const scan = evidence.scan;
  if (value === "" || scan.literals.has(value) || explainsName(value, evidence)) return true;
  if (scan.literalText.includes(value)) return true;
  if (value === "*" && evidence.starImport) return true;
  if (value === "return" && evidence.returnAnnotation) return true;
  if (scan.wildcardLiterals.some((literal) => matchesWithWildcards(literal, value))) return true;
  if (evidence.stringAnnotations && isAnnotation(value, evidence)) return true;
  // 3.13 strips common indentation from docstrings at compile time (gh-81283).
  if (atLeast(evidence.version, 3, 13) && value.includes("\n")) {
    const lines = value.split("\n").map((line) => line.trim());
    if (lines.every((line) => line === "" || scan.literalText.includes(line))) return true;
  }
  if (evidence.formatPieces.includes(value)) return true;
  return isFolded(value, evidence.literalIndex);
}

/** `from __future__ import annotations` turns `x: Dict[str, int]` into "Dict[str, int]". */
function isAnnotation(value: string, evidence: SourceEvidence): boolean {
  if (!ANNOTATION_TEXT.test(value)) return false;
  for (const match of value.matchAll(IDENTIFIERS)) {
    const word = match[0];
    if (!evidence.scan.identifiers.has(word) && !evidence.scan.literalText.includes(word)) {
      return false;
    }
  }
  return true;
}

/**
 * The compiler folds `"#" + "-" * 78` and `"a" + "b"` into one constant: a sequence of whole
 * literals, each possibly repeated. Dynamic programming over positions, with a work budget.
 */
function isFolded(value: string, index: LiteralIndex): boolean {
  if (value.length > MAX_FOLDED_LENGTH) return false;
  const reachable = new Uint8Array(value.length + 1);
  reachable[0] = 1;
  let budget = FOLD_BUDGET;
  for (let i = 0; i < value.length; i++) {
    if (reachable[i] === 0) continue;
    for (const literal of index.startingWith(value[i]!)) {
      if (--budget < 0) return false;
      const end = matchAt(value, i, literal);
      if (end > 0) reachable[end] = 1;
    }
  }
  return reachable[value.length] === 1;
}

/**
 * Where `literal` ends if it occurs in `value` at `start`, else -1; NAMED_CHAR_WILDCARD in the
 * literal matches any one code point.
 */
function matchAt(value: string, start: number, literal: string): number {
  if (!literal.includes(NAMED_CHAR_WILDCARD)) {
    return value.startsWith(literal, start) ? start + literal.length : -1;
  }
  let at = start;
  for (const char of literal) {
    if (at >= value.length) return -1;
    const actual = String.fromCodePoint(value.codePointAt(at)!);
    if (char !== NAMED_CHAR_WILDCARD && char !== actual) return -1;
    at += actual.length;
  }
  return at;
}

/** Work bound for isFolded: literals tried per constant. */
const FOLD_BUDGET = 1_000_000;

export class LiteralIndex {
  readonly #byFirst = new Map<string, string[]>();

  constructor(literals: Iterable<string>) {
    for (const literal of literals) {
      if (literal.length === 0) continue;
      const first = literal[0]!;
      const list = this.#byFirst.get(first);
      if (list === undefined) this.#byFirst.set(first, [literal]);
      else list.push(literal);
    }
  }

  startingWith(char: string): readonly string[] {
    const exact = this.#byFirst.get(char) ?? [];
    const wild = this.#byFirst.get(NAMED_CHAR_WILDCARD);
    return wild === undefined ? exact : [...exact, ...wild];
  }
}

/** Whether `value` occurs in `literal` where each NAMED_CHAR_WILDCARD matches one code point. */
function matchesWithWildcards(literal: string, value: string): boolean {
  const hay = [...literal];
  const needle = [...value];
  for (let start = 0; start + needle.length <= hay.length; start++) {
    let ok = true;
    for (let i = 0; i < needle.length && ok; i++) {
      const h = hay[start + i]!;
      ok = h === NAMED_CHAR_WILDCARD || h === needle[i];
    }
    if (ok) return true;
  }
  return false;
}
