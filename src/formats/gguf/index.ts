export { GGML_TYPE_SIZES } from "./ggml-types.js";
export { GgufCursor } from "./gguf-cursor.js";
export {
  DEFAULT_GGUF_LIMITS,
  GGUF_MAGIC,
  type GgufHeader,
  type GgufLimits,
  type GgufTensorInfo,
  ggmlTensorBytes,
  readGgufHeader,
} from "./gguf-header.js";
export {
  type GgufValue,
  type GgufValueLimits,
  readGgufString,
  readGgufValue,
} from "./gguf-value.js";
