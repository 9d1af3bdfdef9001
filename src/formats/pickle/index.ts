export { PickleMachine } from "./machine.js";
export { WEIGHTS_ONLY_OPCODES } from "./opcodes.js";
export { readPickleStreams, sniffPickle } from "./streams.js";
export type * from "./types.js";
export { DEFAULT_PICKLE_LIMITS } from "./types.js";
export * from "./values.js";
