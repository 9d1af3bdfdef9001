import type { ByteSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { WIRE, WireCursor } from "./wire-cursor.js";

/**
 * What a scanner needs from an ONNX model, read from the protobuf wire format (field numbers from
 * `onnx/onnx.proto`) without materialising tensor data: operator domains, model-local functions,
 * opset imports, and the external-data locations of every tensor (initializers, sparse
 * initializers, attribute tensors, in subgraphs and functions at any depth).
 */
export interface OnnxNodeRef {
  readonly domain: string;
  readonly opType: string;
}

export interface OnnxExternalData {
  readonly tensor: string;
  /** The `location` entry; undefined when `data_location` is EXTERNAL but no location is given. */
  readonly location: string | undefined;
  /** Byte offset of the TensorProto in the file. */
  readonly offset: number;
}

export interface OnnxModel {
  readonly irVersion: bigint;
  readonly opsetDomains: readonly string[];
  readonly nodes: readonly OnnxNodeRef[];
  readonly functions: readonly OnnxNodeRef[];
  readonly externalData: readonly OnnxExternalData[];
}

/** Messages nested in messages (a subgraph costs three: graph, node, attribute). */
export const MAX_ONNX_DEPTH = 96;
/** Longest name, domain or location kept. */
const MAX_TEXT_BYTES = 1024 * 1024;
/** `TensorProto.DataLocation.EXTERNAL`. */
const EXTERNAL = 1n;

type Kind =
  | "model"
  | "graph"
  | "node"
  | "attribute"
  | "tensor"
  | "sparse"
  | "function"
  | "training"
  | "entry"
  | "opset";

/** A field we read: a varint kept, a string kept, a submessage walked, or a known field skipped. */
type Spec =
  | { readonly wire: 0; readonly keep: true }
  | { readonly wire: 2; readonly keep: true }
  | { readonly wire: 2; readonly msg: Kind }
  | { readonly wire: 0 | 2; readonly keep?: false };

const INT = { wire: 0, keep: true } as const;
const TEXT = { wire: 2, keep: true } as const;
const LEN = { wire: 2 } as const;
const msg = (kind: Kind) => ({ wire: 2, msg: kind }) as const;

/** Fields by message; fields not listed are skipped whatever their wire type. */
const SCHEMA: Record<Kind, Readonly<Record<number, Spec>>> = {
  // ModelProto: ir_version 1, producer_name 2, producer_version 3, domain 4, model_version 5,
  // doc_string 6, graph 7, opset_import 8, metadata_props 14, training_info 20, functions 25,
  // configuration 26.
  model: {
    1: INT,
    2: LEN,
    3: LEN,
    4: LEN,
    5: { wire: 0 },
    6: LEN,
    7: msg("graph"),
    8: msg("opset"),
    14: LEN,
    20: msg("training"),
    25: msg("function"),
    26: LEN,
  },
  // GraphProto: node 1, initializer 5, sparse_initializer 15.
  graph: { 1: msg("node"), 5: msg("tensor"), 15: msg("sparse") },
  // NodeProto: op_type 4, attribute 5, domain 7.
  node: { 4: TEXT, 5: msg("attribute"), 7: TEXT },
  // AttributeProto: t 5, g 6, tensors 10, graphs 11, sparse_tensor 22, sparse_tensors 23.
  attribute: {
    5: msg("tensor"),
    6: msg("graph"),
    10: msg("tensor"),
    11: msg("graph"),
    22: msg("sparse"),
    23: msg("sparse"),
  },
  // TensorProto: name 8, raw_data 9 (skipped unread), external_data 13, data_location 14.
  tensor: { 8: TEXT, 13: msg("entry"), 14: INT },
  // SparseTensorProto: values 1, indices 2.
  sparse: { 1: msg("tensor"), 2: msg("tensor") },
  // FunctionProto: name 1, node 7, opset_import 9, domain 10.
  function: { 1: TEXT, 7: msg("node"), 9: msg("opset"), 10: TEXT },
  // TrainingInfoProto: initialization 1, algorithm 2.
  training: { 1: msg("graph"), 2: msg("graph") },
  // StringStringEntryProto: key 1, value 2.
  entry: { 1: TEXT, 2: TEXT },
  // OperatorSetIdProto: domain 1, version 2.
  opset: { 1: TEXT, 2: INT },
};

/** Top-level ModelProto fields and their wire types, for sniffing. */
export const MODEL_FIELDS: Readonly<Record<number, number>> = Object.fromEntries(
  Object.entries(SCHEMA.model).map(([field, spec]) => [field, spec.wire]),
);

interface Frame {
  readonly texts: Map<number, string>;
  readonly ints: Map<number, bigint>;
  readonly entries: [string, string][];
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

export async function readOnnxModel(source: ByteSource): Promise<OnnxModel> {
  const cursor = new WireCursor(source);
  const nodes = new Map<string, OnnxNodeRef>();
  const functions: OnnxNodeRef[] = [];
  const opsetDomains = new Set<string>();
  const externalData: OnnxExternalData[] = [];
  let hasGraph = false;

  const read = async (kind: Kind, end: number, depth: number): Promise<Frame> => {
    if (depth > MAX_ONNX_DEPTH) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot read ONNX model: nested over ${MAX_ONNX_DEPTH}`,
        cursor.position,
      );
    }
    const frame: Frame = { texts: new Map(), ints: new Map(), entries: [] };
    const schema = SCHEMA[kind];
    while (cursor.position < end) {
      const at = cursor.position;
      const tag = await cursor.varint(end);
      const field = Number(tag >> 3n);
      const wire = Number(tag & 7n);
      if (field === 0 || tag >> 3n > 0x1fff_ffffn) {
        throw new FormatError(
          "MALFORMED",
          `Cannot read ONNX ${kind}: field number "${tag >> 3n}"`,
          at,
        );
      }
      const spec = schema[field];
      if (spec === undefined) {
        await cursor.skip(wire, end);
        continue;
      }
      if (wire !== spec.wire) {
        throw new FormatError(
          "MALFORMED",
          `Cannot read ONNX ${kind}: field ${field} has wire type ${wire}`,
          at,
        );
      }
      if ("msg" in spec) {
        const length = await cursor.length(end);
        const childEnd = cursor.position + length;
        const child = await read(spec.msg, childEnd, depth + 1);
        if (kind === "model" && field === 7) hasGraph = true;
        if (spec.msg === "node") {
          const ref = { domain: child.texts.get(7) ?? "", opType: child.texts.get(4) ?? "" };
          nodes.set(`${ref.domain}\u0000${ref.opType}`, ref);
        } else if (spec.msg === "opset") opsetDomains.add(child.texts.get(1) ?? "");
        else if (spec.msg === "function" && kind === "model") {
          functions.push({ domain: child.texts.get(10) ?? "", opType: child.texts.get(1) ?? "" });
        } else if (spec.msg === "entry")
          frame.entries.push([child.texts.get(1) ?? "", child.texts.get(2) ?? ""]);
        else if (spec.msg === "tensor") {
          const location = child.entries.find(([key]) => key === "location")?.[1];
          if (child.ints.get(14) === EXTERNAL || location !== undefined) {
            externalData.push({ tensor: child.texts.get(8) ?? "", location, offset: at });
          }
        }
      } else if (spec.keep === true && spec.wire === WIRE.varint) {
        frame.ints.set(field, await cursor.varint(end));
      } else if (spec.keep === true) {
        const length = await cursor.length(end);
        if (length > MAX_TEXT_BYTES) {
          throw new FormatError(
            "LIMIT_EXCEEDED",
            `Cannot read ONNX ${kind}: a ${length}-byte string`,
            at,
          );
        }
        try {
          frame.texts.set(field, UTF8.decode(await cursor.bytes(length)));
        } catch {
          throw new FormatError(
            "MALFORMED",
            `Cannot read ONNX ${kind}: field ${field} is not UTF-8`,
            at,
          );
        }
      } else await cursor.skip(wire, end);
    }
    if (cursor.position !== end) {
      throw new FormatError(
        "MALFORMED",
        `Cannot read ONNX ${kind}: runs past its end`,
        cursor.position,
      );
    }
    return frame;
  };

  const model = await read("model", source.size, 0);
  const irVersion = model.ints.get(1);
  if (irVersion === undefined)
    throw new FormatError("MALFORMED", "Cannot read ONNX model: no ir_version", 0);
  if (!hasGraph) throw new FormatError("MALFORMED", "Cannot read ONNX model: no graph", 0);
  return {
    irVersion,
    opsetDomains: [...opsetDomains],
    nodes: [...nodes.values()],
    functions,
    externalData,
  };
}
