/**
 * Reads PyTorch's storage references out of persistent ids: `('storage', <storage class>, key,
 * location, numel, ...)` (`torch/serialization.py`, `persistent_id` in `_save`/`_legacy_save`).
 */
import { asSafeInt, asSequence, asString, type PickleValue } from "../formats/pickle/index.js";
import { STORAGE_ELEMENT_SIZES } from "./policy/weights-profile.js";

export interface StorageRef {
  readonly key: string;
  /** Element count, as the persistent id records it. */
  readonly numel: number;
  /** Bytes per element of the storage class, or undefined for a class we do not know. */
  readonly elementSize: number | undefined;
  readonly storageClass: string;
}

/** Bytes per element of a storage class global such as `torch.FloatStorage`. */
export function elementSizeOf(cls: PickleValue | undefined): number | undefined {
  if (cls?.kind !== "global" || cls.name === null) return undefined;
  if (cls.module !== "torch" && cls.module !== "torch.storage") return undefined;
  return STORAGE_ELEMENT_SIZES[cls.name];
}

export function storageRefs(pids: readonly PickleValue[]): Map<string, StorageRef> {
  const refs = new Map<string, StorageRef>();
  for (const pid of pids) {
    const items = asSequence(pid);
    if (items === undefined || asString(items[0]) !== "storage") continue;
    const cls = items[1];
    const key = asString(items[2]);
    const numel = asSafeInt(items[4]);
    if (key === undefined || numel === undefined || cls?.kind !== "global") continue;
    const storageClass = `${cls.module}.${cls.name}`;
    refs.set(key, { key, numel, elementSize: elementSizeOf(cls), storageClass });
  }
  return refs;
}
