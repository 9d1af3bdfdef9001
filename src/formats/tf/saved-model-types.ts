/** What the SavedModel walker extracts: ops and names only, never tensor contents. */

export interface TfNode {
  readonly name: string;
  readonly op: string;
  /** Functions the node calls through `func` attributes (PartitionedCall's `f`, While's `body`). */
  readonly calls: readonly string[];
}

export interface TfFunction {
  /** `FunctionDef.signature.name`; nodes whose op is this name call the function. */
  readonly name: string;
  readonly nodes: readonly TfNode[];
}

export interface TfSaver {
  readonly saveTensorName: string;
  readonly restoreOpName: string;
}

export interface TfMetaGraph {
  readonly tags: readonly string[];
  readonly nodes: readonly TfNode[];
  readonly functions: readonly TfFunction[];
  readonly saver: TfSaver | undefined;
}

export interface TfSavedModel {
  readonly schemaVersion: number;
  readonly metaGraphs: readonly TfMetaGraph[];
}
