/**
 * JSON text as the reference writes its statement: Python `json.dumps(indent=2,
 * ensure_ascii=True)` through protobuf's `MessageToJson`, where every number of a `Struct` is a
 * double and so prints as `8.0`. Signatures cover the payload bytes, so this only has to be
 * deterministic; matching the reference's layout keeps our payloads easy to compare with its.
 */

/** A number written with a `.0`, as Python writes an integral float. */
export interface PythonFloat {
  readonly pythonFloat: number;
}

export type PythonJson =
  | string
  | number
  | boolean
  | null
  | PythonFloat
  | readonly PythonJson[]
  | { readonly [key: string]: PythonJson };

function isFloat(value: object): value is PythonFloat {
  return "pythonFloat" in value && typeof (value as PythonFloat).pythonFloat === "number";
}

/** JSON string with every non-ASCII code unit escaped as `\uXXXX`, as `ensure_ascii` does. */
export function asciiString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function write(value: PythonJson, indent: string): string {
  if (value === null) return "null";
  if (typeof value === "string") return asciiString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new RangeError(`Cannot write the number ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inner = `${indent}  `;
    return `[\n${value.map((item: PythonJson) => inner + write(item, inner)).join(",\n")}\n${indent}]`;
  }
  if (isFloat(value)) {
    if (!Number.isSafeInteger(value.pythonFloat)) {
      throw new RangeError(`Cannot write the number ${value.pythonFloat}`);
    }
    return `${value.pythonFloat}.0`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  const inner = `${indent}  `;
  const body = entries.map(([key, item]) => `${inner}${asciiString(key)}: ${write(item, inner)}`);
  return `{\n${body.join(",\n")}\n${indent}}`;
}

export function toPythonJson(value: PythonJson): string {
  return write(value, "");
}
