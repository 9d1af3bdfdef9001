/**
 * Builds `keras_metadata.pb` and `fingerprint.pb` bytes in code for tests, with the field numbers
 * of keras/protobuf/saved_metadata.proto and tensorflow/core/protobuf/fingerprint.proto.
 */
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

const msg = (build: (w: BinaryWriter) => void): Uint8Array => {
  const w = new BinaryWriter();
  build(w);
  return w.finish();
};

export const versionDef = (producer = 2, minConsumer = 1, bad: readonly number[] = []) =>
  msg((w) => {
    w.tag(1, WireType.Varint).int32(producer);
    w.tag(2, WireType.Varint).int32(minConsumer);
    for (const b of bad) w.tag(3, WireType.Varint).int32(b);
  });

export interface SavedObjectSpec {
  readonly nodeId?: number;
  readonly nodePath?: string;
  readonly identifier?: string;
  readonly metadata?: string;
}

/** One SavedObject as Keras writes it (proto3: zero and empty fields omitted). */
export const savedObject = (spec: SavedObjectSpec) =>
  msg((w) => {
    if (spec.nodeId) w.tag(2, WireType.Varint).int32(spec.nodeId);
    if (spec.nodePath) w.tag(3, WireType.LengthDelimited).string(spec.nodePath);
    if (spec.identifier) w.tag(4, WireType.LengthDelimited).string(spec.identifier);
    if (spec.metadata) w.tag(5, WireType.LengthDelimited).string(spec.metadata);
    w.tag(6, WireType.LengthDelimited).bytes(versionDef(1, 1));
  });

export const kerasMetadata = (...objects: readonly Uint8Array[]) =>
  msg((w) => {
    for (const o of objects) w.tag(1, WireType.LengthDelimited).bytes(o);
  });

/** Keras 2's metadata JSON for a layer: Python-side attributes plus class_name and config. */
export const layerMetadata = (className: string, config: Record<string, unknown>) =>
  JSON.stringify({
    name: config.name ?? "layer",
    trainable: true,
    expects_training_arg: false,
    dtype: "float32",
    batch_input_shape: null,
    stateful: false,
    must_restore_from_config: false,
    class_name: className,
    config,
  });

export const fingerprint = (uuid: string | null = "1d8a5c3e-7b44-4b9a-9c1e-0f2b3a4d5e6f") =>
  msg((w) => {
    w.tag(1, WireType.Varint).uint64(12345678901234567890n);
    w.tag(2, WireType.Varint).uint64(1111n);
    w.tag(3, WireType.Varint).uint64(2222n);
    w.tag(4, WireType.Varint).uint64(3333n);
    w.tag(5, WireType.Varint).uint64(4444n);
    w.tag(6, WireType.LengthDelimited).bytes(versionDef(1, 0));
    if (uuid !== null) w.tag(7, WireType.LengthDelimited).string(uuid);
  });
