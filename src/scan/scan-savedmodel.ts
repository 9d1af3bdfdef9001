/**
 * TensorFlow SavedModel `saved_model.pb`: every node of every meta graph and of every library
 * function is checked. File and Python-callback ops are dangerous (a graph that reads or writes
 * files when served); ops outside the standard registry need a custom kernel library. The
 * checkpoint ops every SavedModel holds are expected only where its saver runs them: TF 1 nodes
 * in the `save/` scope, and TF 2 functions reached from `saver_def`'s save tensor (save ops) or
 * restore op (restore ops).
 */
import type { ByteSource } from "../formats/byte-source.js";
import {
  isSavedModelHead,
  readSavedModel,
  type TfMetaGraph,
  type TfNode,
  type TfSavedModel,
} from "../formats/tf/index.js";
import { at, type ScanContext } from "./context.js";
import { readWhole } from "./read-whole.js";
import { finding } from "./rules.js";
import { savedModelVariables } from "./savedmodel-variables.js";
import { reportUnreadableTf } from "./scan-savedmodel-sidecars.js";
import { TF_FILE_OPS, TF_RESTORE_OPS, TF_SAVE_OPS, TF_STANDARD_OPS } from "./tf-ops.js";

const FILE_OP_REFERENCE = "scanner research §3 (TF SavedModel ReadFile/WriteFile ops)";
/** TF 1 `tf.train.Saver` builds its graph under `save/`, `save_1/`, ... */
const SAVER_SCOPE = /^save(_\d+)?\//;

export function isSavedModel(head: Uint8Array, size: number): boolean {
  return isSavedModelHead(head, size);
}

/** Functions reachable from nodes named in `roots`, following function-call ops and attrs. */
function reachable(graph: TfMetaGraph, roots: ReadonlySet<string>): Set<string> {
  const byName = new Map(graph.functions.map((f) => [f.name, f]));
  const seen = new Set<string>();
  const queue: string[] = [];
  const visit = (node: TfNode) => {
    for (const callee of [node.op, ...node.calls]) {
      if (byName.has(callee) && !seen.has(callee)) {
        seen.add(callee);
        queue.push(callee);
      }
    }
  };
  for (const node of graph.nodes) if (roots.has(node.name)) visit(node);
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    for (const node of byName.get(name)?.nodes ?? []) visit(node);
  }
  return seen;
}

/** "StatefulPartitionedCall_1:0" and "^save/restore_all" both name a node. */
const nodeName = (tensor: string) => tensor.replace(/^\^/, "").replace(/:\d+$/, "");

interface OpTally {
  count: number;
  first: string;
}

function checkGraph(
  graph: TfMetaGraph,
  index: number,
  member: string | undefined,
  ctx: ScanContext,
): void {
  const functions = new Set(graph.functions.map((f) => f.name));
  const saveFns = reachable(
    graph,
    new Set(graph.saver ? [nodeName(graph.saver.saveTensorName)] : []),
  );
  const restoreFns = reachable(
    graph,
    new Set(graph.saver ? [nodeName(graph.saver.restoreOpName)] : []),
  );
  const custom = new Map<string, OpTally>();
  const label = `meta graph ${index}${graph.tags.length > 0 ? ` [${graph.tags.join(",")}]` : ""}`;

  const check = (node: TfNode, where: string, saveOk: boolean, restoreOk: boolean) => {
    const { op } = node;
    if (op === "") {
      ctx.collector.add(
        finding("tf/malformed", `Node '${node.name}' in ${where} has no op`, at(member)),
      );
      return;
    }
    if (TF_FILE_OPS.has(op)) {
      if ((saveOk && TF_SAVE_OPS.has(op)) || (restoreOk && TF_RESTORE_OPS.has(op))) return;
      ctx.collector.add(
        finding(
          "tf/file-op",
          `Node '${node.name}' in ${where} runs '${op}', which touches files or runs Python`,
          at(member),
          { reference: FILE_OP_REFERENCE },
        ),
      );
      return;
    }
    if (TF_STANDARD_OPS.has(op) || functions.has(op)) return;
    const tally = custom.get(op);
    if (tally) tally.count += 1;
    else custom.set(op, { count: 1, first: `'${node.name}' in ${where}` });
  };

  for (const node of graph.nodes) {
    const saver = SAVER_SCOPE.test(node.name);
    check(node, `${label} graph`, saver, saver);
  }
  for (const fn of graph.functions) {
    for (const node of fn.nodes) {
      check(node, `${label} function '${fn.name}'`, saveFns.has(fn.name), restoreFns.has(fn.name));
    }
  }
  for (const [op, tally] of custom) {
    ctx.collector.add(
      finding(
        "tf/custom-op",
        `Op '${op}' (${tally.count} node${tally.count === 1 ? "" : "s"}, first ${tally.first}) is not a standard TensorFlow op: it needs a custom kernel library`,
        at(member),
      ),
    );
  }
}

export async function scanSavedModel(
  source: ByteSource,
  member: string | undefined,
  ctx: ScanContext,
): Promise<{ format: string }> {
  const bytes = await readWhole(source, "SavedModel", member, ctx);
  if (bytes === undefined) return { format: "tf-savedmodel" };
  let model: TfSavedModel;
  try {
    model = readSavedModel(bytes);
  } catch (error) {
    reportUnreadableTf(error, member, ctx);
    return { format: "tf-savedmodel" };
  }
  model.metaGraphs.forEach((graph, index) => {
    checkGraph(graph, index, member, ctx);
  });
  if (member === undefined && ctx.path !== undefined && ctx.dataFiles !== undefined) {
    ctx.dataFiles.push(...(await savedModelVariables(ctx.path)));
  }
  return { format: "tf-savedmodel" };
}
