/**
 * Content sniff for `saved_model.pb`: the top level holds only field 1 (varint schema version)
 * and field 2 (LEN meta graphs), and a meta graph starts with one of MetaGraphDef's LEN fields
 * 1..7. An ONNX ModelProto also starts `08 .. 12 ..` (ir_version, producer_name), but its field 2
 * is a string ("pytorch": 0x70 is no MetaGraphDef tag) and field 3 follows, so it fails here.
 */
import { headVarint } from "./proto-fields.js";

const TAG_SCHEMA_VERSION = 0x08;
const TAG_META_GRAPH = 0x12;
/** MetaGraphDef fields 1..7, all LEN: (field << 3) | 2. */
const META_GRAPH_TAGS = new Set([0x0a, 0x12, 0x1a, 0x22, 0x2a, 0x32, 0x3a]);

/** Whether `head` (the first bytes of an input of `size` bytes) starts like a SavedModel. */
export function isSavedModelHead(head: Uint8Array, size: number): boolean {
  let pos = 0;
  if (head[0] === TAG_SCHEMA_VERSION) {
    const version = headVarint(head, 1);
    if (version === undefined) return false;
    pos = version[1];
  }
  if (head[pos] !== TAG_META_GRAPH) return false;
  const length = headVarint(head, pos + 1);
  if (length === undefined) return false;
  const [len, start] = length;
  // A length past the end is still a SavedModel, a truncated one: its scan reports that.
  if (len === 0 || start >= size) return false;
  const first = head[start];
  return first !== undefined && META_GRAPH_TAGS.has(first);
}
