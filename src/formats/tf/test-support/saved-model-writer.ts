/** Builds `saved_model.pb` bytes in code for tests, with TensorFlow's field numbers. */
import { BinaryWriter } from "@bufbuild/protobuf/wire";

export interface NodeSpec {
  readonly name: string;
  readonly op: string;
  /** Function names in `func` attributes (AttrValue.func, and one in AttrValue.list.func). */
  readonly funcs?: readonly string[];
  readonly listFuncs?: readonly string[];
}

export interface FunctionSpec {
  readonly name: string;
  readonly nodes: readonly NodeSpec[];
}

export interface MetaGraphSpec {
  readonly tags?: readonly string[];
  readonly nodes?: readonly NodeSpec[];
  readonly functions?: readonly FunctionSpec[];
  readonly saver?: { readonly save: string; readonly restore: string };
}

const msg = (build: (w: BinaryWriter) => void): Uint8Array => {
  const w = new BinaryWriter();
  build(w);
  return w.finish();
};

const nameAttrList = (name: string) => msg((w) => w.tag(1, 2).string(name));

export function nodeBytes(node: NodeSpec): Uint8Array {
  return msg((w) => {
    w.tag(1, 2).string(node.name).tag(2, 2).string(node.op);
    (node.funcs ?? []).forEach((fn, i) => {
      const value = msg((v) => v.tag(10, 2).bytes(nameAttrList(fn)));
      w.tag(5, 2).bytes(msg((e) => e.tag(1, 2).string(`f${i}`).tag(2, 2).bytes(value)));
    });
    if (node.listFuncs !== undefined && node.listFuncs.length > 0) {
      const list = msg((l) => {
        for (const fn of node.listFuncs ?? []) l.tag(9, 2).bytes(nameAttrList(fn));
      });
      const value = msg((v) => v.tag(1, 2).bytes(list));
      w.tag(5, 2).bytes(msg((e) => e.tag(1, 2).string("branches").tag(2, 2).bytes(value)));
    }
  });
}

function functionBytes(fn: FunctionSpec): Uint8Array {
  return msg((w) => {
    w.tag(1, 2).bytes(msg((s) => s.tag(1, 2).string(fn.name)));
    for (const node of fn.nodes) w.tag(3, 2).bytes(nodeBytes(node));
  });
}

export function metaGraphBytes(spec: MetaGraphSpec): Uint8Array {
  return msg((w) => {
    w.tag(1, 2).bytes(
      msg((m) => {
        for (const tag of spec.tags ?? ["serve"]) m.tag(4, 2).string(tag);
      }),
    );
    const graph = msg((g) => {
      for (const node of spec.nodes ?? []) g.tag(1, 2).bytes(nodeBytes(node));
      if (spec.functions !== undefined) {
        const library = msg((l) => {
          for (const fn of spec.functions ?? []) l.tag(1, 2).bytes(functionBytes(fn));
        });
        g.tag(2, 2).bytes(library);
      }
    });
    w.tag(2, 2).bytes(graph);
    if (spec.saver !== undefined) {
      const { save, restore } = spec.saver;
      w.tag(3, 2).bytes(
        msg((s) =>
          s.tag(1, 2).string("saver_filename:0").tag(2, 2).string(save).tag(3, 2).string(restore),
        ),
      );
    }
  });
}

export function savedModelBytes(...graphs: readonly MetaGraphSpec[]): Uint8Array {
  return msg((w) => {
    w.tag(1, 0).int64(1);
    for (const graph of graphs) w.tag(2, 2).bytes(metaGraphBytes(graph));
  });
}

/** A TF 2 model shaped like tf.saved_model.save's: serving, traced save and traced restore. */
export function tf2Model(
  serving: readonly NodeSpec[] = [],
  save: readonly NodeSpec[] = [],
): MetaGraphSpec {
  return {
    nodes: [
      { name: "x", op: "Placeholder" },
      { name: "StatefulPartitionedCall", op: "StatefulPartitionedCall", funcs: ["serve_fn"] },
      { name: "StatefulPartitionedCall_1", op: "StatefulPartitionedCall", funcs: ["save_fn"] },
      { name: "StatefulPartitionedCall_2", op: "StatefulPartitionedCall", funcs: ["restore_fn"] },
    ],
    functions: [
      { name: "serve_fn", nodes: [{ name: "m", op: "MatMul" }, ...serving] },
      {
        name: "save_fn",
        nodes: [
          { name: "SaveV2", op: "SaveV2" },
          { name: "merge", op: "MergeV2Checkpoints" },
          ...save,
        ],
      },
      { name: "restore_fn", nodes: [{ name: "RestoreV2", op: "RestoreV2" }] },
    ],
    saver: { save: "StatefulPartitionedCall_1:0", restore: "StatefulPartitionedCall_2" },
  };
}
