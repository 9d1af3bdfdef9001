/**
 * Decodes a TensorBoard `Event` (tensorboard/compat/proto/event.proto, summary.proto) down to
 * what the monitor uses: time, step, scalar values (v1 `simple_value` and v2 "scalars" tensors)
 * and SessionLog status. Histograms, images, graphs and the rest are skipped unread.
 */
import { scalarFromTensor } from "./tb-tensor.js";
import { eachField, expectWire, malformed, safeInt64, WireType } from "./tb-wire.js";

/** Event fields. */
const E_WALL_TIME = 1;
const E_STEP = 2;
const E_FILE_VERSION = 3;
const E_SUMMARY = 5;
const E_SESSION_LOG = 7;
/** Summary.value, Summary.Value and SummaryMetadata fields. */
const S_VALUE = 1;
const V_TAG = 1;
const V_SIMPLE_VALUE = 2;
const V_TENSOR = 8;
const V_METADATA = 9;
const M_PLUGIN_DATA = 1;
const P_PLUGIN_NAME = 1;
/** SessionLog fields. */
const L_STATUS = 1;
const L_CHECKPOINT_PATH = 2;

export const SESSION_START = 1;
export const SESSION_STOP = 2;
export const SESSION_CHECKPOINT = 3;

const SCALARS_PLUGIN = "scalars";
/** TF2 writes a tag's plugin metadata only with its first value; this many tags are remembered. */
const MAX_TAGS_REMEMBERED = 10_000;
const MAX_TEXT = 4096;
/** Fatal: invalid UTF-8 is an error, not U+FFFD. Stateless between calls (no `stream`). */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

export interface TbScalar {
  readonly tag: string;
  readonly value: number;
}

export interface TbEvent {
  readonly wallTime: number;
  readonly step: number;
  readonly fileVersion: string | undefined;
  readonly scalars: readonly TbScalar[];
  readonly sessionStatus: number | undefined;
  readonly checkpointPath: string | undefined;
}

function text(bytes: Uint8Array, what: string): string {
  if (bytes.length > MAX_TEXT) malformed(`Cannot read ${what}: longer than ${MAX_TEXT} bytes`);
  try {
    return UTF8.decode(bytes);
  } catch {
    return malformed(`Cannot read ${what}: not valid UTF-8`);
  }
}

function pluginName(metadata: Uint8Array): string | undefined {
  let name: string | undefined;
  eachField(metadata, "summary metadata", (field, wire, reader) => {
    if (field !== M_PLUGIN_DATA) return false;
    expectWire(wire, WireType.LengthDelimited, "summary metadata plugin_data");
    eachField(reader.bytes(), "plugin data", (f, w, r) => {
      if (f !== P_PLUGIN_NAME) return false;
      expectWire(w, WireType.LengthDelimited, "plugin_name");
      name = text(r.bytes(), "plugin_name");
      return true;
    });
    return true;
  });
  return name;
}

function summaryValue(bytes: Uint8Array, plugins: Map<string, string>): TbScalar | undefined {
  let tag = "";
  let simple: number | undefined;
  let tensor: Uint8Array | undefined;
  let plugin: string | undefined;
  eachField(bytes, "summary value", (field, wire, reader) => {
    switch (field) {
      case V_TAG:
        expectWire(wire, WireType.LengthDelimited, "summary value tag");
        tag = text(reader.bytes(), "summary value tag");
        return true;
      case V_SIMPLE_VALUE:
        expectWire(wire, WireType.Bit32, "simple_value");
        simple = reader.float();
        return true;
      case V_TENSOR:
        expectWire(wire, WireType.LengthDelimited, "summary value tensor");
        tensor = reader.bytes();
        return true;
      case V_METADATA:
        expectWire(wire, WireType.LengthDelimited, "summary metadata");
        plugin = pluginName(reader.bytes());
        return true;
      default:
        return false;
    }
  });
  if (plugin !== undefined && (plugins.has(tag) || plugins.size < MAX_TAGS_REMEMBERED)) {
    plugins.set(tag, plugin);
  }
  if (simple !== undefined) return { tag, value: simple };
  if (tensor === undefined) return undefined;
  const known = plugin ?? plugins.get(tag);
  if (known !== undefined && known !== SCALARS_PLUGIN) return undefined;
  const value = scalarFromTensor(tensor);
  if (value === undefined && known === SCALARS_PLUGIN) {
    malformed(`Cannot read scalar "${tag}": its tensor is not one number`);
  }
  return value === undefined ? undefined : { tag, value };
}

/**
 * `plugins` maps tags to the plugin their metadata named, across the events of one file.
 * Throws TelemetryError MALFORMED (or BinaryReader's Error) on bytes that do not decode.
 */
export function decodeEvent(bytes: Uint8Array, plugins: Map<string, string>): TbEvent {
  let wallTime = 0;
  let step = 0;
  let fileVersion: string | undefined;
  let sessionStatus: number | undefined;
  let checkpointPath: string | undefined;
  const scalars: TbScalar[] = [];
  eachField(bytes, "event", (field, wire, reader) => {
    switch (field) {
      case E_WALL_TIME:
        expectWire(wire, WireType.Bit64, "event wall_time");
        wallTime = reader.double();
        return true;
      case E_STEP:
        expectWire(wire, WireType.Varint, "event step");
        step = safeInt64(reader, "event step");
        return true;
      case E_FILE_VERSION:
        expectWire(wire, WireType.LengthDelimited, "event file_version");
        fileVersion = text(reader.bytes(), "event file_version");
        return true;
      case E_SUMMARY:
        expectWire(wire, WireType.LengthDelimited, "event summary");
        eachField(reader.bytes(), "summary", (f, w, r) => {
          if (f !== S_VALUE) return false;
          expectWire(w, WireType.LengthDelimited, "summary value");
          const scalar = summaryValue(r.bytes(), plugins);
          if (scalar !== undefined) scalars.push(scalar);
          return true;
        });
        return true;
      case E_SESSION_LOG:
        expectWire(wire, WireType.LengthDelimited, "event session_log");
        eachField(reader.bytes(), "session log", (f, w, r) => {
          if (f === L_STATUS) {
            expectWire(w, WireType.Varint, "session log status");
            sessionStatus = r.int32();
            return true;
          }
          if (f !== L_CHECKPOINT_PATH) return false;
          expectWire(w, WireType.LengthDelimited, "session log checkpoint_path");
          checkpointPath = text(r.bytes(), "session log checkpoint_path");
          return true;
        });
        return true;
      default:
        return false;
    }
  });
  if (step < 0) malformed(`Cannot read event: step "${step}" is negative`);
  return { wallTime, step, fileVersion, scalars, sessionStatus, checkpointPath };
}
