export {
  atLeast,
  MAGIC_BYTES,
  magicForVersion,
  type PythonVersion,
  supportedVersions,
  versionForMagic,
} from "./magic.js";
export { bytesEqual, marshalEqual } from "./marshal-equal.js";
export { MAX_LONG_DIGITS } from "./marshal-long.js";
export {
  MAX_MARSHAL_DEPTH,
  MAX_MARSHAL_OBJECTS,
  type MarshalResult,
  readMarshal,
} from "./marshal-reader.js";
export type { CodeObject, MarshalValue } from "./marshal-types.js";
export {
  type HashPycHeader,
  PYC_HEADER_BYTES,
  type PycHeader,
  readPycHeader,
  type TimestampPycHeader,
} from "./pyc-header.js";
export { type Pyc, readPyc } from "./read-pyc.js";
export { sipHash, sipHash13, sipHash24 } from "./siphash.js";
export { declaredEncoding, decodePythonSource } from "./source-decode.js";
export { sourceHash } from "./source-hash.js";
export {
  LITERAL_SEPARATOR,
  MAX_FSTRING_DEPTH,
  type PythonSourceScan,
  scanPythonSource,
} from "./source-literals.js";
export { decodeEscapes, NAMED_CHAR_WILDCARD } from "./string-escapes.js";
export { decodeUtf8SurrogatePass } from "./utf8-surrogatepass.js";
