export { MAX_META_GRAPHS, MAX_TF_NODES, readSavedModel } from "./read-saved-model.js";
export type {
  TfFunction,
  TfMetaGraph,
  TfNode,
  TfSavedModel,
  TfSaver,
} from "./saved-model-types.js";
export { isSavedModelHead } from "./sniff-saved-model.js";
