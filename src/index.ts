/** trainguard as a library: the scan API. */
export * from "./scan/index.js";
