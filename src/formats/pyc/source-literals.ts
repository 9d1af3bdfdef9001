import { FormatError } from "../format-error.js";
import { decodeEscapes, NAMED_CHAR_WILDCARD } from "./string-escapes.js";

/** Separates literals that the compiler cannot have joined into one constant. */
export const LITERAL_SEPARATOR = "\u0000";
/** Our bound on f-strings nested in f-string replacement fields (PEP 701 allows any depth). */
export const MAX_FSTRING_DEPTH = 64;

export interface PythonSourceScan {
  /** Decoded values of every string and bytes literal; adjacent literals (implicit
   *  concatenation) are joined, others separated by LITERAL_SEPARATOR. */
  readonly literalText: string;
  /** Each literal's decoded value, whole. */
  readonly literals: ReadonlySet<string>;
  /** Literal groups holding NAMED_CHAR_WILDCARD, for matching with `\N{...}` as any character. */
  readonly wildcardLiterals: readonly string[];
  /** Identifiers in code and in f-string replacement fields (not in comments or plain strings). */
  readonly identifiers: ReadonlySet<string>;
}

const IDENTIFIER = /[\p{ID_Start}_][\p{ID_Continue}]*/uy;
const NUMBER = /[0-9][0-9a-zA-Z_.]*/y;
/** Python's string prefixes (lower-cased): u, r, b, f, t (3.14 templates) and their pairs. */
const PREFIXES = new Set(["u", "r", "b", "f", "t", "br", "rb", "fr", "rf", "tr", "rt"]);

/**
 * A lexical pass over decoded Python source that finds string literals and identifiers: enough
 * to tell which strings and names a code object compiled from this source may carry. It is not
 * a full tokenizer: what it does not understand it skips, and it never throws on odd source
 * except when f-strings nest past MAX_FSTRING_DEPTH.
 */
export function scanPythonSource(text: string): PythonSourceScan {
  const scanner = new Scanner(text);
  scanner.run();
  const groups = scanner.groups;
  return {
    literalText: groups.join(LITERAL_SEPARATOR),
    literals: scanner.literals,
    wildcardLiterals: groups.filter((group) => group.includes(NAMED_CHAR_WILDCARD)),
    identifiers: scanner.identifiers,
  };
}

class Scanner {
  readonly text: string;
  readonly groups: string[] = [];
  readonly literals = new Set<string>();
  readonly identifiers = new Set<string>();
  #pos = 0;
  #group: string[] = [];

  constructor(text: string) {
    this.text = text;
  }

  run(): void {
    const text = this.text;
    while (this.#pos < text.length) {
      const ch = text[this.#pos]!;
      if (ch === "#") {
        this.#skipComment();
      } else if (ch === " " || ch === "\t" || ch === "\n" || ch === "\f" || ch === "\\") {
        this.#pos++;
      } else if (ch === '"' || ch === "'") {
        this.#addLiteral(this.#string("", 0));
      } else if (!this.#word(0, (value) => this.#addLiteral(value), true)) {
        this.#endGroup();
        this.#pos++;
      }
    }
    this.#endGroup();
  }

  /** An identifier, a number, or a prefixed string; false when none starts here. */
  #word(depth: number, onString: (value: string) => void, top: boolean): boolean {
    IDENTIFIER.lastIndex = this.#pos;
    const id = IDENTIFIER.exec(this.text);
    if (id !== null) {
      const next = this.text[this.#pos + id[0].length];
      if ((next === '"' || next === "'") && PREFIXES.has(id[0].toLowerCase())) {
        this.#pos += id[0].length;
        onString(this.#string(id[0].toLowerCase(), depth));
        return true;
      }
      if (top) this.#endGroup();
      this.identifiers.add(id[0]);
      this.identifiers.add(id[0].normalize("NFKC"));
      this.#pos += id[0].length;
      return true;
    }
    NUMBER.lastIndex = this.#pos;
    const number = NUMBER.exec(this.text);
    if (number === null) return false;
    if (top) this.#endGroup();
    this.#pos += number[0].length;
    return true;
  }

  #skipComment(): void {
    const end = this.text.indexOf("\n", this.#pos);
    this.#pos = end < 0 ? this.text.length : end;
  }

  #addLiteral(value: string): void {
    this.#group.push(value);
    this.literals.add(value);
  }

  #endGroup(): void {
    if (this.#group.length > 0) this.groups.push(this.#group.join(""));
    this.#group = [];
  }

  /** A nested string inside an f-string field is a constant of its own. */
  #standalone(value: string): void {
    this.groups.push(value);
    this.literals.add(value);
  }

  /** Reads a string literal whose opening quote is at the cursor; returns its decoded value. */
  #string(prefix: string, depth: number): string {
    if (depth > MAX_FSTRING_DEPTH) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot scan source: f-strings nest deeper than ${MAX_FSTRING_DEPTH}`,
        this.#pos,
      );
    }
    const text = this.text;
    const quote = text[this.#pos]!;
    const delim = text.startsWith(quote.repeat(3), this.#pos) ? quote.repeat(3) : quote;
    this.#pos += delim.length;
    const raw = prefix.includes("r");
    const bytes = prefix.includes("b");
    if (prefix.includes("f") || prefix.includes("t")) return this.#formatted(delim, raw, depth);
    const start = this.#pos;
    while (this.#pos < text.length && !text.startsWith(delim, this.#pos)) {
      const ch = text[this.#pos]!;
      if (ch === "\n" && delim.length === 1) break;
      this.#pos += ch === "\\" ? 2 : 1;
    }
    const body = text.slice(start, Math.min(this.#pos, text.length));
    this.#pos += delim.length;
    return raw ? body : decodeEscapes(body, bytes);
  }

  /** An f-string body: literal text, `{{`/`}}`, and replacement fields, up to `delim`. */
  #formatted(delim: string, raw: boolean, depth: number): string {
    const out = this.#formattedText(delim, raw, depth, false);
    if (this.text.startsWith(delim, this.#pos)) this.#pos += delim.length;
    return out;
  }

  /** Literal text of an f-string or of a format spec (`inSpec`, which ends at a lone `}`). */
  #formattedText(delim: string, raw: boolean, depth: number, inSpec: boolean): string {
    const text = this.text;
    let out = "";
    let run = "";
    const flush = () => {
      out += raw ? run : decodeEscapes(run, false);
      run = "";
    };
    while (this.#pos < text.length && !text.startsWith(delim, this.#pos)) {
      const ch = text[this.#pos]!;
      if (ch === "\n" && delim.length === 1) break;
      if (ch === "\\" && (text[this.#pos + 1] === "{" || text[this.#pos + 1] === "}")) {
        // A backslash never escapes a brace: `rf"C:\{path}"` still has a field.
        run += ch;
        this.#pos++;
      } else if (ch === "\\") {
        const named = !raw && text.startsWith("\\N{", this.#pos);
        const end = named ? text.indexOf("}", this.#pos) + 1 : this.#pos + 2;
        run += text.slice(this.#pos, end > this.#pos ? end : this.#pos + 2);
        this.#pos = end > this.#pos ? end : this.#pos + 2;
      } else if ((ch === "{" || ch === "}") && text[this.#pos + 1] === ch && !inSpec) {
        run += ch;
        this.#pos += 2;
      } else if (ch === "{") {
        flush();
        this.#pos++;
        out += this.#field(delim, raw, depth + 1);
      } else if (ch === "}" && inSpec) {
        break;
      } else {
        run += ch;
        this.#pos++;
      }
    }
    flush();
    return out;
  }

  /**
   * A replacement field after its `{`: the expression (scanned for identifiers and nested
   * strings), an optional `!conversion` and `:spec`, up to the closing `}`. Returns what the
   * compiler makes a constant of: the `expr=` text of a self-documenting field, the spec.
   */
  #field(delim: string, raw: boolean, depth: number): string {
    const text = this.text;
    const start = this.#pos;
    let brackets = 0;
    let out = LITERAL_SEPARATOR;
    while (this.#pos < text.length) {
      const ch = text[this.#pos]!;
      if (brackets === 0 && (ch === "}" || ch === ":" || ch === "!")) {
        if (ch === "!" && text[this.#pos + 1] === "=") {
          this.#pos += 2;
          continue;
        }
        break;
      }
      if (ch === "=" && brackets === 0 && this.#isDebugEquals()) {
        this.#pos++;
        while (text[this.#pos] === " ") this.#pos++;
        out = text.slice(start, this.#pos);
        continue;
      }
      if (ch === '"' || ch === "'") {
        // Before 3.12 a field cannot hold its string's quote; from 3.12 (PEP 701) it can, and
        // then it opens a nested string, as any other quote does.
        this.#standalone(this.#string("", depth));
      } else if (ch === "#") {
        this.#skipComment();
      } else if (this.#word(depth, (value) => this.#standalone(value), false)) {
        // identifiers, numbers and prefixed strings handled by #word
      } else {
        if (ch === "(" || ch === "[" || ch === "{") brackets++;
        if (ch === ")" || ch === "]" || ch === "}") brackets--;
        this.#pos++;
      }
    }
    if (text[this.#pos] === "!") {
      while (this.#pos < text.length && text[this.#pos] !== ":" && text[this.#pos] !== "}") {
        this.#pos++;
      }
    }
    if (text[this.#pos] === ":") {
      this.#pos++;
      out += this.#formattedText(delim, raw, depth, true) + LITERAL_SEPARATOR;
    }
    if (text[this.#pos] === "}") this.#pos++;
    return out;
  }

  /** `=` that ends a self-documenting expression (`f"{x=}"`, 3.8+), not `==`, `<=`, `!=`. */
  #isDebugEquals(): boolean {
    const text = this.text;
    const before = text[this.#pos - 1];
    if (before === "=" || before === "!" || before === "<" || before === ">") return false;
    let next = this.#pos + 1;
    while (text[next] === " ") next++;
    const after = text[next];
    return after === "}" || after === "!" || after === ":";
  }
}
