/**
 * A reader for the CSV dialect of a wheel's RECORD: Python's `csv` default (comma, `"` quotes,
 * doubled quotes inside), rows ended by LF or CRLF (PEP 376, "RECORD"; PyPA "Recording installed
 * projects"). It refuses what that writer never produces instead of guessing.
 */
import { EnvCheckError } from "../env-error.js";
import { LIMITS } from "../limits.js";

export interface CsvLimits {
  readonly maxRows: number;
  readonly maxFieldLength: number;
}

const DEFAULT_LIMITS: CsvLimits = {
  maxRows: LIMITS.maxEntriesPerRecord,
  maxFieldLength: LIMITS.maxPathLength,
};

function bad(name: string, state: string): EnvCheckError {
  return new EnvCheckError("BAD_RECORD", `Cannot read the record "${name}": ${state}`);
}

/** Splits `text` into rows of fields; blank lines are skipped, as Python's reader does. */
export function parseCsv(
  text: string,
  name: string,
  limits: CsvLimits = DEFAULT_LIMITS,
): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let fieldStarted = false;
  let i = 0;
  const pushField = () => {
    if (field.length > limits.maxFieldLength) {
      throw bad(name, `a field is longer than ${limits.maxFieldLength} characters`);
    }
    row.push(field);
    field = "";
    fieldStarted = false;
  };
  const pushRow = () => {
    if (row.length === 1 && row[0] === "") {
      row = [];
      return;
    }
    if (rows.length >= limits.maxRows) throw bad(name, `more than ${limits.maxRows} rows`);
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        const next = text[i];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
          throw bad(name, "a closing quote is followed by text");
        }
        continue;
      }
      field += c;
      if (field.length > limits.maxFieldLength) {
        throw bad(name, `a field is longer than ${limits.maxFieldLength} characters`);
      }
      i += 1;
      continue;
    }
    if (c === '"') {
      if (field !== "") throw bad(name, "a quote opens in the middle of a field");
      quoted = true;
      fieldStarted = true;
      i += 1;
    } else if (c === ",") {
      pushField();
      fieldStarted = true;
      i += 1;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] !== "\n") throw bad(name, "a row ends with a bare CR");
      pushField();
      pushRow();
      i += c === "\r" ? 2 : 1;
    } else {
      field += c;
      if (field.length > limits.maxFieldLength) {
        throw bad(name, `a field is longer than ${limits.maxFieldLength} characters`);
      }
      i += 1;
    }
  }
  if (quoted) throw bad(name, "a quoted field is not closed");
  if (field !== "" || fieldStarted || row.length > 0) {
    pushField();
    pushRow();
  }
  return rows;
}
