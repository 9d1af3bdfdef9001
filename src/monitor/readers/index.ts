export { crc32c, maskedCrc32c } from "./crc32c.js";
export { parsePythonJson } from "./python-json.js";
export type { ReadOptions, ReadProblem, ReadResult } from "./read-result.js";
export { DEFAULT_MAX_RECORD_BYTES } from "./read-result.js";
export { readTelemetry } from "./read-telemetry.js";
export { matchScalarField, type ScalarField } from "./scalar-field.js";
