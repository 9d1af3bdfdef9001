/**
 * The checkpoint a TensorFlow SavedModel keeps beside `saved_model.pb`: `variables/` holds a
 * tensor bundle, `variables.index` (the table of tensor names and offsets) and the shards
 * `variables.data-NNNNN-of-MMMMM` (raw tensor bytes). `tf.saved_model.load` restores them with
 * the graph's RestoreV2 op, which reads bytes and never runs them; the names are TensorFlow's
 * (tensorflow/python/saved_model/constants.py VARIABLES_DIRECTORY, VARIABLES_FILENAME; shard
 * names from tensorflow/core/util/tensor_bundle/naming.cc, "%05d-of-%05d").
 */
import type { Dirent } from "node:fs";
import { lstat, readdir, realpath } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { ModelDataFile } from "./context.js";

const VARIABLES_DIRECTORY = "variables";
const VARIABLE_FILE = /^variables\.(index|data-\d{5}-of-\d{5})$/;

/** The bundle files next to the SavedModel at `modelPath`; links are not followed. */
export async function savedModelVariables(modelPath: string): Promise<ModelDataFile[]> {
  let dir: string;
  try {
    dir = join(await realpath(dirname(modelPath)), VARIABLES_DIRECTORY);
    // A `variables` link could point anywhere: its files are not this model's folder.
    if (!(await lstat(dir)).isDirectory()) return [];
  } catch {
    return [];
  }
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile() && VARIABLE_FILE.test(entry.name))
    .map((entry) => ({
      path: join(dir, entry.name),
      kind: "tf-variables",
      role: "the variables (tensor bundle)",
    }));
}
