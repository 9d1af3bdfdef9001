export { SAFETENSORS_DTYPE_BITS } from "./dtype.js";
export {
  MAX_SAFETENSORS_HEADER,
  readSafetensorsHeader,
  type SafetensorsHeader,
  type SafetensorsTensor,
  safetensorsHeaderLength,
  tensorByteSize,
} from "./safetensors-header.js";
export { type JsonValue, MAX_JSON_DEPTH, parseStrictJson } from "./strict-json.js";
