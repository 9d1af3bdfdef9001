/**
 * The digest algorithms the hashing engine offers, and the one-shot in-memory hash.
 */
import { createHash } from "node:crypto";

export type HashAlgorithm = "sha256" | "blake2b";

/** Node's names for our algorithms; BLAKE2b is the 64-byte variant OMS uses. */
export const NODE_HASH_NAME: Readonly<Record<HashAlgorithm, string>> = {
  sha256: "sha256",
  blake2b: "blake2b512",
};

/** Hashes bytes in memory. The digest is a Buffer at run time. */
export function hashBytes(algorithm: HashAlgorithm, bytes: Uint8Array): Uint8Array {
  return createHash(NODE_HASH_NAME[algorithm]).update(bytes).digest();
}
