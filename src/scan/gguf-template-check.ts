/**
 * Jinja chat templates in GGUF metadata, checked for the server-side template injection gadgets
 * that reach Python from a template (CVE-2024-34359 in llama-cpp-python, CVE-2026-5760 in
 * SGLang): loaders that render with a non-sandboxed `jinja2.Environment` run them. Only the code
 * inside `{{ }}` and `{% %}` is checked, so a system prompt that says "import" stays clean. The
 * template is split in one linear pass: a hostile template of many `{{` cannot make it quadratic.
 */

/** Matched anywhere in code, string literals included (`attr('__globals__')`). */
const IN_CODE: readonly (readonly [RegExp, string])[] = [
  [
    /__(?:class|globals|subclasses|builtins|mro|init|base|bases|import|getattribute|dict|code|reduce|reduce_ex)__/,
    "a Python dunder attribute",
  ],
  [/\\x5f|\\u005f|\\137/i, "an escaped underscore"],
  [/_TemplateReference__context/, "the template context"],
];

/** Matched in code outside string literals. */
const IN_EXPRESSIONS: readonly (readonly [RegExp, string])[] = [
  [/\b(?:cycler|joiner|lipsum)\b/, "a Jinja global that leads to Python globals"],
  [/\bnamespace\s*\.\s*\w/, "an attribute of the namespace class"],
  [/\|\s*attr\b|\battr\s*\(/, "the attr filter"],
  [/\bpopen\b|\bos\s*\.\s*system\b|\bsubprocess\b/, "a process call"],
  [/\bimport\b|\beval\s*\(|\bexec\s*\(|\bgetattr\s*\(|\bglobals\s*\(/, "a Python import or eval"],
  [/\bself\s*\.\s*_/, "the template's private state"],
];

const CLOSING: Readonly<Record<string, string>> = { "{": "}}", "%": "%}", "#": "#}" };

interface CodeBlock {
  /** The block's code as written. */
  readonly code: string;
  /** The code with every string literal emptied. */
  readonly bare: string;
}

/** Splits a template into its code blocks, as Jinja's lexer does (strings may hold `}}`). */
export function codeBlocks(template: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let pos = 0;
  while (pos < template.length) {
    const open = template.indexOf("{", pos);
    if (open < 0 || open + 1 >= template.length) break;
    const kind = template[open + 1]!;
    const close = CLOSING[kind];
    if (close === undefined) {
      pos = open + 1;
      continue;
    }
    if (kind === "#") {
      const end = template.indexOf(close, open + 2);
      pos = end < 0 ? template.length : end + 2;
      continue;
    }
    let i = open + 2;
    let code = "";
    let bare = "";
    let quote: string | undefined;
    while (i < template.length) {
      const c = template[i]!;
      if (quote !== undefined) {
        code += c;
        if (c === "\\" && i + 1 < template.length) {
          code += template[i + 1];
          i += 2;
          continue;
        }
        if (c === quote) {
          quote = undefined;
          bare += "''";
        }
        i += 1;
        continue;
      }
      if (template.startsWith(close, i)) break;
      if (c === "'" || c === '"') quote = c;
      else bare += c;
      code += c;
      i += 1;
    }
    blocks.push({ code, bare });
    pos = i + 2;
  }
  return blocks;
}

/** What a template reaches, one phrase per gadget found; empty for an ordinary template. */
export function templateGadgets(template: string): string[] {
  const found = new Set<string>();
  for (const { code, bare } of codeBlocks(template)) {
    for (const [pattern, what] of IN_CODE) {
      const hit = pattern.exec(code);
      if (hit !== null) found.add(`${what} ('${hit[0]}')`);
    }
    for (const [pattern, what] of IN_EXPRESSIONS) {
      const hit = pattern.exec(bare);
      if (hit !== null) found.add(`${what} ('${hit[0]}')`);
    }
  }
  return [...found];
}
