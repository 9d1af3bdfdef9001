import { FormatError } from "../format-error.js";

/**
 * The subset of Python literals numpy writes in a .npy header (numpy/lib/format.py builds it
 * with repr() and reads it with ast.literal_eval): dict, list, tuple, str, int, True, False, None.
 * Parsed here without any evaluation. Anything outside the subset is MALFORMED, which makes the
 * file unscannable rather than misread.
 */
export interface PyTuple {
  readonly kind: "tuple";
  readonly items: readonly PyValue[];
}
export interface PyList {
  readonly kind: "list";
  readonly items: readonly PyValue[];
}
export interface PyDict {
  readonly kind: "dict";
  /** In source order; duplicate keys are rejected (Python would silently keep the last). */
  readonly entries: readonly (readonly [PyValue, PyValue])[];
}
export type PyValue = string | bigint | boolean | null | PyTuple | PyList | PyDict;

/** Nesting deeper than any dtype numpy can describe is refused before it costs stack. */
export const MAX_LITERAL_DEPTH = 32;

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  n: "\n",
  r: "\r",
  t: "\t",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "\n": "",
};

class Parser {
  readonly #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  fail(state: string): never {
    throw new FormatError(
      "MALFORMED",
      `Cannot parse header literal: ${state} at "${this.#pos}"`,
      this.#pos,
    );
  }

  skipSpace(): void {
    while (this.#pos < this.#text.length && " \t\n\r\f".includes(this.#text[this.#pos]!))
      this.#pos++;
  }

  atEnd(): boolean {
    return this.#pos >= this.#text.length;
  }

  #eat(char: string): boolean {
    this.skipSpace();
    if (this.#text[this.#pos] !== char) return false;
    this.#pos++;
    return true;
  }

  value(depth: number): PyValue {
    if (depth > MAX_LITERAL_DEPTH) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot parse header literal: nesting deeper than "${MAX_LITERAL_DEPTH}"`,
        this.#pos,
      );
    }
    this.skipSpace();
    const c = this.#text[this.#pos];
    if (c === "{") return this.#dict(depth);
    if (c === "[") return { kind: "list", items: this.#sequence("]", depth) };
    if (c === "(") return this.#paren(depth);
    if (c === "'" || c === '"') return this.#string();
    if (
      (c === "u" || c === "U") &&
      (this.#text[this.#pos + 1] === "'" || this.#text[this.#pos + 1] === '"')
    ) {
      this.#pos++;
      return this.#string();
    }
    if (c !== undefined && /[-+0-9]/.test(c)) return this.#int();
    for (const [word, result] of [
      ["True", true],
      ["False", false],
      ["None", null],
    ] as const) {
      if (
        this.#text.startsWith(word, this.#pos) &&
        !/\w/.test(this.#text[this.#pos + word.length] ?? "")
      ) {
        this.#pos += word.length;
        return result;
      }
    }
    return this.fail(c === undefined ? "input ends" : `unexpected "${c}"`);
  }

  /** Items up to `close`, after the opening bracket and any items already in `items`. */
  #items(close: string, depth: number, items: PyValue[] = []): PyValue[] {
    while (!this.#eat(close)) {
      items.push(this.value(depth + 1));
      if (!this.#eat(",")) {
        if (!this.#eat(close)) this.fail(`expected "," or "${close}"`);
        break;
      }
    }
    return items;
  }

  #sequence(close: string, depth: number): PyValue[] {
    this.#pos++;
    return this.#items(close, depth);
  }

  #paren(depth: number): PyValue {
    this.#pos++;
    if (this.#eat(")")) return { kind: "tuple", items: [] };
    const first = this.value(depth + 1);
    // "(x)" is just x; a tuple needs a comma.
    if (this.#eat(")")) return first;
    if (!this.#eat(",")) this.fail('expected "," or ")"');
    return { kind: "tuple", items: this.#items(")", depth, [first]) };
  }

  #dict(depth: number): PyDict {
    this.#pos++;
    const entries: (readonly [PyValue, PyValue])[] = [];
    const keys = new Set<string>();
    while (!this.#eat("}")) {
      const key = this.value(depth + 1);
      if (typeof key !== "string") this.fail("dict key is not a string");
      if (keys.has(key)) this.fail(`duplicate key "${key}"`);
      keys.add(key);
      if (!this.#eat(":")) this.fail('expected ":"');
      entries.push([key, this.value(depth + 1)]);
      if (!this.#eat(",")) {
        if (!this.#eat("}")) this.fail('expected "," or "}"');
        break;
      }
    }
    return { kind: "dict", entries };
  }

  #int(): bigint {
    const match = /^[-+]?(0|[1-9][0-9]*)[lL]?/.exec(this.#text.slice(this.#pos, this.#pos + 64));
    if (match === null || /[\w.]/.test(this.#text[this.#pos + match[0].length] ?? ""))
      this.fail("bad integer");
    this.#pos += match[0].length;
    // The "L" suffix is Python 2's long; numpy filters it out of version 1.0 and 2.0 headers.
    return BigInt(match[0].replace(/[lL]$/, ""));
  }

  #string(): string {
    const quote = this.#text[this.#pos]!;
    this.#pos++;
    let out = "";
    for (;;) {
      const c = this.#text[this.#pos++];
      if (c === undefined || c === "\n") this.fail("unterminated string");
      if (c === quote) return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.#text[this.#pos++];
      if (e === undefined) this.fail("unterminated string");
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
      } else if (e === "x" || e === "u" || e === "U") {
        const width = e === "x" ? 2 : e === "u" ? 4 : 8;
        const digits = this.#text.slice(this.#pos, this.#pos + width);
        const code =
          /^[0-9a-fA-F]+$/.test(digits) && digits.length === width
            ? Number.parseInt(digits, 16)
            : -1;
        if (code < 0 || code > 0x10ffff) this.fail("bad escape");
        out += String.fromCodePoint(code);
        this.#pos += width;
      } else if (/[0-7]/.test(e)) {
        const digits = /^[0-7]{1,3}/.exec(this.#text.slice(this.#pos - 1, this.#pos + 2))![0];
        out += String.fromCodePoint(Number.parseInt(digits, 8));
        this.#pos += digits.length - 1;
      } else {
        // Python keeps unknown escapes as written (with a warning).
        out += `\\${e}`;
      }
    }
  }
}

/** Parses one literal that must span all of `text` (surrounding whitespace allowed). */
export function parsePyLiteral(text: string): PyValue {
  const parser = new Parser(text);
  const value = parser.value(0);
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail("trailing characters");
  return value;
}
