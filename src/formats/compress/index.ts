export { decompressBounded } from "./decompress-bounded.js";
export { type CompressionKind, sniffCompression } from "./sniff-compression.js";
