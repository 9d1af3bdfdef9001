import { FormatError } from "../format-error.js";
import { checkedProduct } from "./dtype.js";
import type { NpyHeader } from "./npy-header.js";

/**
 * Bytes of array data the header promises: product(shape) × itemSize, overflow-checked
 * (LIMIT_EXCEEDED past 2^53). Null for object arrays, whose data is a pickle of unknown length.
 */
export function npyDataSize(header: Pick<NpyHeader, "shape" | "itemSize">): number | null {
  if (header.itemSize === null) return null;
  return checkedProduct([...header.shape, header.itemSize], "npy data size");
}

/** Checks that `fileSize` holds the data the header promises (numpy reads exactly that much). */
export function checkNpyDataFits(header: NpyHeader, fileSize: number): void {
  const size = npyDataSize(header);
  if (size !== null && header.dataOffset + size > fileSize) {
    throw new FormatError(
      "TRUNCATED",
      `Cannot read npy data: "${size}" bytes at "${header.dataOffset}" run past "${fileSize}"`,
      header.dataOffset,
    );
  }
}
