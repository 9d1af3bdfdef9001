export {
  type KerasConfigWalk,
  type KerasJson,
  type KerasObservation,
  MAX_CONFIG_DEPTH,
  MAX_CONFIG_NODES,
  parseKerasConfig,
  walkKerasConfig,
} from "./walk-config.js";
