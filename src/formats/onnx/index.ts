export {
  MAX_ONNX_DEPTH,
  MODEL_FIELDS,
  type OnnxExternalData,
  type OnnxModel,
  type OnnxNodeRef,
  readOnnxModel,
} from "./onnx-model.js";
export { sniffOnnx } from "./sniff-onnx.js";
export { WIRE, WireCursor } from "./wire-cursor.js";
