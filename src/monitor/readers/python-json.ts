/**
 * JSON as Python's `json.dumps` writes it by default (`allow_nan=True`): bare `NaN`, `Infinity`
 * and `-Infinity` tokens may stand where a number goes. They are turned into the strings
 * `"NaN"`, `"Infinity"`, `"-Infinity"`, the wire format's spelling of non-finite numbers
 * (docs/monitor.md), which the record parser reads as numbers. Text inside strings is untouched.
 */

const TOKENS = ["NaN", "Infinity", "-Infinity"] as const;
const IDENTIFIER_CHAR = /[A-Za-z0-9_$]/;

function rewriteTokens(text: string): string {
  let out = "";
  let copied = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i += 1;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c !== "N" && c !== "I" && c !== "-") continue;
    const token = TOKENS.find((t) => text.startsWith(t, i));
    if (token === undefined) continue;
    const after = text[i + token.length];
    if (after !== undefined && IDENTIFIER_CHAR.test(after)) continue;
    out += `${text.slice(copied, i)}"${token}"`;
    i += token.length - 1;
    copied = i + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Parses one JSON text that may hold Python's non-finite tokens; throws SyntaxError otherwise. */
export function parsePythonJson(text: string): unknown {
  const fast = !text.includes("NaN") && !text.includes("Infinity");
  return JSON.parse(fast ? text : rewriteTokens(text));
}
