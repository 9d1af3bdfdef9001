/**
 * `keras_metadata.pb`, written by Keras 2 (`tf.keras`) beside `saved_model.pb`: one SavedObject
 * per Keras layer, model or metric, each with a JSON `metadata` string holding the object's
 * `class_name` and `config`. `tf.keras.models.load_model` revives layers from that config, so it
 * is read like any Keras model config. Field numbers from keras/protobuf/saved_metadata.proto:
 * SavedMetadata { repeated SavedObject nodes = 1 }, SavedObject { node_id = 2 (int32),
 * node_path = 3, identifier = 4, metadata = 5 (strings), version = 6 (VersionDef) }; field 1 of
 * SavedObject held the VersionDef in the first release (TF 2.4) and is reserved since.
 */
import { FormatError } from "../format-error.js";
import {
  type BinaryReader,
  forEachField,
  headVarint,
  requireWire,
  WireType,
  wrapWireErrors,
} from "./proto-fields.js";
import { readVersionDef } from "./read-version-def.js";

/** Far more objects than any Keras model has (a layer, its variables' owners, its metrics). */
export const MAX_KERAS_METADATA_NODES = 1_000_000;

export interface KerasSavedObject {
  readonly nodeId: number;
  readonly nodePath: string;
  readonly identifier: string;
  /** The JSON text Keras wrote (not parsed here). */
  readonly metadata: string;
}

const F = {
  savedMetadata: { nodes: 1 },
  savedObject: { oldVersion: 1, nodeId: 2, nodePath: 3, identifier: 4, metadata: 5, version: 6 },
} as const;

/** SavedObject fields and their wire types, for the sniff. */
const OBJECT_WIRES = new Map<number, WireType>([
  [1, WireType.LengthDelimited],
  [2, WireType.Varint],
  [3, WireType.LengthDelimited],
  [4, WireType.LengthDelimited],
  [5, WireType.LengthDelimited],
  [6, WireType.LengthDelimited],
]);
const TAG_NODES = 0x0a;

const isControl = (b: number) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d;

/**
 * Whether `head` starts like `keras_metadata.pb`: a `nodes` entry whose first field is a
 * SavedObject field with its wire type, fitting the entry. Its tags are control bytes, which
 * keeps text that happens to start with a newline out.
 */
export function isKerasMetadataHead(head: Uint8Array, size: number): boolean {
  if (head[0] !== TAG_NODES || !head.some(isControl)) return false;
  const outer = headVarint(head, 1);
  if (outer === undefined) return false;
  const [length, start] = outer;
  if (length < 2 || start >= size) return false;
  const tag = headVarint(head, start);
  if (tag === undefined) return false;
  const [value, next] = tag;
  if (OBJECT_WIRES.get(Math.floor(value / 8)) !== value % 8) return false;
  if (value % 8 !== WireType.LengthDelimited) return true;
  const inner = headVarint(head, next);
  return inner !== undefined && inner[1] + inner[0] <= start + length;
}

function readSavedObject(bytes: Uint8Array): KerasSavedObject {
  let nodeId = 0;
  let nodePath = "";
  let identifier = "";
  let metadata = "";
  const seen = new Set<number>();
  forEachField(bytes, "Keras SavedObject", (field, r, wire, at) => {
    if (seen.has(field)) {
      throw new FormatError("MALFORMED", `Cannot read Keras SavedObject: field ${field} twice`, at);
    }
    seen.add(field);
    const expected = OBJECT_WIRES.get(field);
    if (expected === undefined) {
      throw new FormatError(
        "MALFORMED",
        `Cannot read Keras SavedObject: unknown field ${field}`,
        at,
      );
    }
    requireWire(wire, expected, `Keras SavedObject field ${field}`, at);
    if (field === F.savedObject.nodeId) nodeId = r.int32();
    else if (field === F.savedObject.nodePath) nodePath = r.string();
    else if (field === F.savedObject.identifier) identifier = r.string();
    else if (field === F.savedObject.metadata) metadata = r.string();
    else readVersionDef(r.bytes());
  });
  if (nodeId < 0) {
    throw new FormatError("MALFORMED", `Cannot read Keras SavedObject: node_id "${nodeId}"`);
  }
  return { nodeId, nodePath, identifier, metadata };
}

/** Parses `keras_metadata.pb`; throws FormatError for anything that is not one, within bounds. */
export function readKerasMetadata(bytes: Uint8Array): KerasSavedObject[] {
  return wrapWireErrors("Keras metadata", () => {
    const nodes: KerasSavedObject[] = [];
    forEachField(bytes, "Keras metadata", (field, r: BinaryReader, wire, at) => {
      if (field !== F.savedMetadata.nodes) {
        throw new FormatError(
          "MALFORMED",
          `Cannot read Keras metadata: unknown field ${field}`,
          at,
        );
      }
      requireWire(wire, WireType.LengthDelimited, "Keras metadata node", at);
      if (nodes.length >= MAX_KERAS_METADATA_NODES) {
        throw new FormatError(
          "LIMIT_EXCEEDED",
          `Cannot read Keras metadata: over ${MAX_KERAS_METADATA_NODES} nodes`,
          at,
        );
      }
      nodes.push(readSavedObject(r.bytes()));
    });
    if (nodes.length === 0) {
      throw new FormatError("MALFORMED", "Cannot read Keras metadata: it has no node");
    }
    return nodes;
  });
}
