export { sniffTar } from "./header.js";
export { readTarEntries } from "./read-entries.js";
export {
  DEFAULT_TAR_LIMITS,
  type TarAnomaly,
  type TarAnomalyCode,
  type TarEntry,
  type TarEntryType,
  type TarLimits,
  type TarListing,
} from "./types.js";
