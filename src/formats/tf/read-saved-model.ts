/**
 * Walks the protobuf wire format of a TensorFlow `saved_model.pb` without generated code and
 * without TensorFlow, keeping node names, op names and the functions they call. Field numbers
 * are TensorFlow's (tensorflow/core/protobuf/saved_model.proto, meta_graph.proto, saver.proto;
 * tensorflow/core/framework/graph.proto, node_def.proto, function.proto, attr_value.proto).
 * Tensor values (`Const` nodes' `value`) are skipped by length.
 */
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { FormatError } from "../format-error.js";
import type {
  TfFunction,
  TfMetaGraph,
  TfNode,
  TfSavedModel,
  TfSaver,
} from "./saved-model-types.js";

export const MAX_META_GRAPHS = 64;
export const MAX_TF_NODES = 5_000_000;
/** `func` attributes nest through NameAttrList.attr; real graphs nest a few levels. */
const MAX_ATTR_DEPTH = 16;

const F = {
  savedModel: { schemaVersion: 1, metaGraphs: 2 },
  metaGraph: { metaInfo: 1, graph: 2, saver: 3 },
  metaInfo: { tags: 4 },
  saver: { saveTensorName: 2, restoreOpName: 3 },
  graph: { node: 1, library: 2 },
  library: { function: 1 },
  functionDef: { signature: 1, nodeDef: 3 },
  opDef: { name: 1 },
  node: { name: 1, op: 2, attr: 5 },
  mapEntry: { key: 1, value: 2 },
  attrValue: { list: 1, func: 10 },
  listValue: { func: 9 },
  nameAttrList: { name: 1, attr: 2 },
} as const;

interface Budget {
  nodes: number;
}

/** Iterates the fields of one message, handing each LEN field's bytes to `onField`. */
function eachField(
  bytes: Uint8Array,
  onField: (field: number, reader: BinaryReader, wire: WireType) => boolean,
): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wire] = reader.tag();
    if (field === 0) throw new FormatError("MALFORMED", "Cannot read field: number 0", reader.pos);
    if (!onField(field, reader, wire)) reader.skip(wire, field);
  }
}

function expectLen(wire: WireType, what: string): void {
  if (wire !== WireType.LengthDelimited) {
    throw new FormatError("MALFORMED", `Cannot read ${what}: wire type ${wire} is not LEN`);
  }
}

function lenString(reader: BinaryReader, wire: WireType, what: string): string {
  expectLen(wire, what);
  return reader.string();
}

function lenBytes(reader: BinaryReader, wire: WireType, what: string): Uint8Array {
  expectLen(wire, what);
  return reader.bytes();
}

function readFuncNames(bytes: Uint8Array, depth: number, out: string[]): void {
  if (depth > MAX_ATTR_DEPTH) {
    throw new FormatError(
      "LIMIT_EXCEEDED",
      `Cannot read attribute: nested deeper than ${MAX_ATTR_DEPTH}`,
    );
  }
  // bytes is a NameAttrList: its name, and its own attributes' functions.
  eachField(bytes, (field, r, wire) => {
    if (field === F.nameAttrList.name && wire === WireType.LengthDelimited) out.push(r.string());
    else if (field === F.nameAttrList.attr && wire === WireType.LengthDelimited)
      readAttrEntry(r.bytes(), depth + 1, out);
    else return false;
    return true;
  });
}

function readAttrValue(bytes: Uint8Array, depth: number, out: string[]): void {
  eachField(bytes, (field, r, wire) => {
    if (wire !== WireType.LengthDelimited) return false;
    if (field === F.attrValue.func) readFuncNames(r.bytes(), depth, out);
    else if (field === F.attrValue.list) {
      eachField(r.bytes(), (lf, lr, lw) => {
        if (lf !== F.listValue.func || lw !== WireType.LengthDelimited) return false;
        readFuncNames(lr.bytes(), depth, out);
        return true;
      });
    } else return false;
    return true;
  });
}

/** One `map<string, AttrValue>` entry: only the value's function names matter. */
function readAttrEntry(bytes: Uint8Array, depth: number, out: string[]): void {
  eachField(bytes, (field, r, wire) => {
    if (field !== F.mapEntry.value || wire !== WireType.LengthDelimited) return false;
    readAttrValue(r.bytes(), depth, out);
    return true;
  });
}

function readNode(bytes: Uint8Array, budget: Budget): TfNode {
  budget.nodes += 1;
  if (budget.nodes > MAX_TF_NODES) {
    throw new FormatError("LIMIT_EXCEEDED", `Cannot read graph: over ${MAX_TF_NODES} nodes`);
  }
  let name = "";
  let op = "";
  const calls: string[] = [];
  eachField(bytes, (field, r, wire) => {
    if (field === F.node.name) name = lenString(r, wire, "node name");
    else if (field === F.node.op) op = lenString(r, wire, "node op");
    else if (field === F.node.attr) readAttrEntry(lenBytes(r, wire, "node attr"), 0, calls);
    else return false;
    return true;
  });
  return { name, op, calls };
}

function readFunction(bytes: Uint8Array, budget: Budget): TfFunction {
  let name = "";
  const nodes: TfNode[] = [];
  eachField(bytes, (field, r, wire) => {
    if (field === F.functionDef.signature) {
      expectLen(wire, "function signature");
      eachField(r.bytes(), (sf, sr, sw) => {
        if (sf !== F.opDef.name) return false;
        expectLen(sw, "function name");
        name = sr.string();
        return true;
      });
    } else if (field === F.functionDef.nodeDef) {
      expectLen(wire, "function node");
      nodes.push(readNode(r.bytes(), budget));
    } else return false;
    return true;
  });
  return { name, nodes };
}

function readGraph(
  bytes: Uint8Array,
  budget: Budget,
  nodes: TfNode[],
  functions: TfFunction[],
): void {
  eachField(bytes, (field, r, wire) => {
    if (field === F.graph.node) nodes.push(readNode(lenBytes(r, wire, "graph node"), budget));
    else if (field === F.graph.library) {
      expectLen(wire, "function library");
      eachField(r.bytes(), (lf, lr, lw) => {
        if (lf !== F.library.function) return false;
        expectLen(lw, "function");
        functions.push(readFunction(lr.bytes(), budget));
        return true;
      });
    } else return false;
    return true;
  });
}

function readSaver(bytes: Uint8Array): TfSaver {
  let saveTensorName = "";
  let restoreOpName = "";
  eachField(bytes, (field, r, wire) => {
    if (field === F.saver.saveTensorName) saveTensorName = lenString(r, wire, "save tensor");
    else if (field === F.saver.restoreOpName) restoreOpName = lenString(r, wire, "restore op");
    else return false;
    return true;
  });
  return { saveTensorName, restoreOpName };
}

function readMetaGraph(bytes: Uint8Array, budget: Budget): TfMetaGraph {
  const tags: string[] = [];
  const nodes: TfNode[] = [];
  const functions: TfFunction[] = [];
  let saver: TfSaver | undefined;
  eachField(bytes, (field, r, wire) => {
    if (field === F.metaGraph.metaInfo) {
      expectLen(wire, "meta info");
      eachField(r.bytes(), (mf, mr, mw) => {
        if (mf !== F.metaInfo.tags || mw !== WireType.LengthDelimited) return false;
        tags.push(mr.string());
        return true;
      });
    } else if (field === F.metaGraph.graph) {
      expectLen(wire, "graph");
      readGraph(r.bytes(), budget, nodes, functions);
    } else if (field === F.metaGraph.saver) {
      expectLen(wire, "saver");
      saver = readSaver(r.bytes());
    } else return false;
    return true;
  });
  return { tags, nodes, functions, saver };
}

/** Parses `saved_model.pb`; throws FormatError for anything that is not a SavedModel. */
export function readSavedModel(bytes: Uint8Array): TfSavedModel {
  let schemaVersion = 0;
  const metaGraphs: TfMetaGraph[] = [];
  const budget: Budget = { nodes: 0 };
  try {
    eachField(bytes, (field, r, wire) => {
      if (field === F.savedModel.schemaVersion && wire === WireType.Varint) {
        schemaVersion = Number(r.int64());
      } else if (field === F.savedModel.metaGraphs) {
        expectLen(wire, "meta graph");
        if (metaGraphs.length >= MAX_META_GRAPHS) {
          throw new FormatError(
            "LIMIT_EXCEEDED",
            `Cannot read SavedModel: over ${MAX_META_GRAPHS} meta graphs`,
          );
        }
        metaGraphs.push(readMetaGraph(r.bytes(), budget));
      } else {
        throw new FormatError("MALFORMED", `Cannot read SavedModel: unexpected field ${field}`);
      }
      return true;
    });
  } catch (error) {
    if (error instanceof FormatError) throw error;
    // BinaryReader throws plain Errors ("premature EOF", "invalid varint") on bad input.
    const message = error instanceof Error ? error.message : String(error);
    const code = /EOF|range/i.test(message) ? "TRUNCATED" : "MALFORMED";
    throw new FormatError(code, `Cannot read SavedModel protobuf: ${message}`, undefined, {
      cause: error,
    });
  }
  if (metaGraphs.length === 0) {
    throw new FormatError("MALFORMED", "Cannot read SavedModel: it has no meta graph");
  }
  return { schemaVersion, metaGraphs };
}
