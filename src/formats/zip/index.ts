export { archiveRootFolder } from "./archive-root.js";
export { crc32 } from "./crc32.js";
export { sniffZip } from "./end-record.js";
export { readZipDirectory } from "./read-directory.js";
export { readZipMember } from "./read-member.js";
export {
  DEFAULT_ZIP_LIMITS,
  type ZipAnomaly,
  type ZipAnomalyCode,
  type ZipArchive,
  type ZipEntry,
  type ZipGap,
  type ZipLimits,
} from "./types.js";
