export {
  isFingerprintHead,
  MAX_FINGERPRINT_BYTES,
  readFingerprint,
  type TfFingerprint,
} from "./read-fingerprint.js";
export {
  isKerasMetadataHead,
  type KerasSavedObject,
  MAX_KERAS_METADATA_NODES,
  readKerasMetadata,
} from "./read-keras-metadata.js";
export { MAX_META_GRAPHS, MAX_TF_NODES, readSavedModel } from "./read-saved-model.js";
export type {
  TfFunction,
  TfMetaGraph,
  TfNode,
  TfSavedModel,
  TfSaver,
} from "./saved-model-types.js";
export { isSavedModelHead } from "./sniff-saved-model.js";
