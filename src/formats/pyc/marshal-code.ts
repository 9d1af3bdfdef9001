import { FormatError } from "../format-error.js";
import { atLeast } from "./magic.js";
import type { MarshalReader } from "./marshal-reader.js";
import type { CodeObject, MarshalValue } from "./marshal-types.js";

/**
 * Reads a TYPE_CODE body (marshal.c, r_object). The fixed-width fields are raw 32-bit ints;
 * the rest are marshalled objects. Layouts:
 * - 3.7: argcount, kwonlyargcount, nlocals, stacksize, flags, code, consts, names, varnames,
 *   freevars, cellvars, filename, name, firstlineno, lnotab;
 * - 3.8 to 3.10: posonlyargcount after argcount (PEP 570); 3.10 renames lnotab to linetable;
 * - 3.11 and later: no nlocals; localsplusnames and localspluskinds replace varnames, freevars
 *   and cellvars; qualname after name; exceptiontable after linetable.
 */
export function readCode(reader: MarshalReader, at: number): CodeObject {
  const v = reader.version;
  const modern = atLeast(v, 3, 11);
  const argCount = count(reader, "co_argcount");
  const posOnlyArgCount = atLeast(v, 3, 8) ? count(reader, "co_posonlyargcount") : 0;
  const kwOnlyArgCount = count(reader, "co_kwonlyargcount");
  if (!modern) count(reader, "co_nlocals");
  const stackSize = count(reader, "co_stacksize");
  const flags = reader.cursor.i32("co_flags") >>> 0;
  const bytecode = bytesField(reader, "co_code");
  const consts = tupleField(reader, "co_consts");
  const names = nameTuple(reader, "co_names");
  let localNames: readonly string[];
  let localKinds: Uint8Array | undefined;
  let freeVars: readonly string[] = [];
  let cellVars: readonly string[] = [];
  if (modern) {
    localNames = nameTuple(reader, "co_localsplusnames");
    localKinds = bytesField(reader, "co_localspluskinds");
    if (localKinds.length !== localNames.length) {
      throw new FormatError(
        "MALFORMED",
        `Cannot read code object: ${localNames.length} local names but ${localKinds.length} kinds`,
        at,
      );
    }
  } else {
    localNames = nameTuple(reader, "co_varnames");
    freeVars = nameTuple(reader, "co_freevars");
    cellVars = nameTuple(reader, "co_cellvars");
  }
  const filename = strField(reader, "co_filename");
  const name = strField(reader, "co_name");
  const qualname = modern ? strField(reader, "co_qualname") : undefined;
  const firstLineNo = reader.cursor.i32("co_firstlineno");
  const lineTable = bytesField(reader, "co_linetable");
  const exceptionTable = modern ? bytesField(reader, "co_exceptiontable") : new Uint8Array();
  return {
    argCount,
    posOnlyArgCount,
    kwOnlyArgCount,
    stackSize,
    flags,
    bytecode,
    consts,
    names,
    localNames,
    localKinds,
    freeVars,
    cellVars,
    filename,
    name,
    qualname,
    firstLineNo,
    lineTable,
    exceptionTable,
  };
}

function count(reader: MarshalReader, field: string): number {
  const at = reader.cursor.offset;
  const value = reader.cursor.i32(field);
  if (value < 0) {
    throw new FormatError("MALFORMED", `Cannot read ${field}: "${value}" is negative`, at);
  }
  return value;
}

function field<K extends MarshalValue["kind"]>(
  reader: MarshalReader,
  name: string,
  kind: K,
): Extract<MarshalValue, { kind: K }> {
  const at = reader.cursor.offset;
  const value = reader.read();
  if (value.kind !== kind) {
    throw new FormatError("MALFORMED", `Cannot read ${name}: a ${value.kind}, not a ${kind}`, at);
  }
  return value as Extract<MarshalValue, { kind: K }>;
}

function bytesField(reader: MarshalReader, name: string): Uint8Array {
  return field(reader, name, "bytes").value;
}

function strField(reader: MarshalReader, name: string): string {
  return field(reader, name, "str").value;
}

function tupleField(reader: MarshalReader, name: string): readonly MarshalValue[] {
  return field(reader, name, "tuple").items;
}

/** A tuple of names; CPython rejects a code object with a non-string in one. */
function nameTuple(reader: MarshalReader, name: string): readonly string[] {
  const at = reader.cursor.offset;
  return tupleField(reader, name).map((item) => {
    if (item.kind !== "str") {
      throw new FormatError("MALFORMED", `Cannot read ${name}: holds a ${item.kind}`, at);
    }
    return item.value;
  });
}
