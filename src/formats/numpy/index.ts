export { checkNpyDataFits, npyDataSize } from "./data-size.js";
export { dtypeHasObject, dtypeItemSize, type NpyDtype, type NpyField } from "./dtype.js";
export {
  MAX_NPY_HEADER_BYTES,
  NPY_MAGIC,
  type NpyHeader,
  NUMPY_HEADER_LIMIT,
  npyHeaderEnd,
  parseNpyHeader,
  readNpyHeader,
  sniffNpy,
} from "./npy-header.js";
export {
  MAX_LITERAL_DEPTH,
  type PyDict,
  type PyList,
  type PyTuple,
  type PyValue,
  parsePyLiteral,
} from "./py-literal.js";
