import { FormatError } from "../format-error.js";
import { u16, u64 } from "./little-endian.js";
import { ZIP64_EXTRA_ID, ZIP64_U16_SENTINEL, ZIP64_U32_SENTINEL } from "./signatures.js";

/** 4.5.1: extra data is a sequence of (id u16, size u16, data) blocks. */
export function findExtraBlock(extra: Uint8Array, id: number, offset: number): Uint8Array | null {
  let pos = 0;
  // Like Python's zipfile, 1-3 trailing bytes that cannot hold a block header are ignored.
  while (pos + 4 <= extra.length) {
    const blockId = u16(extra, pos);
    const size = u16(extra, pos + 2);
    if (pos + 4 + size > extra.length) {
      throw new FormatError(
        "MALFORMED",
        `Cannot read extra field "0x${blockId.toString(16)}": size "${size}" runs past the extra data`,
        offset + pos,
      );
    }
    if (blockId === id) return extra.subarray(pos + 4, pos + 4 + size);
    pos += 4 + size;
  }
  return null;
}

export interface SizesAndOffset {
  uncompressedSize: number;
  compressedSize: number;
  localHeaderOffset: number;
}

/**
 * 4.5.3: the zip64 extra holds, in this order, only the fields whose header value is saturated:
 * uncompressed size, compressed size, local header offset, disk number.
 */
export function applyZip64Extra(
  fields: SizesAndOffset,
  diskStart: number,
  extra: Uint8Array,
  offset: number,
): SizesAndOffset {
  const wanted = [
    fields.uncompressedSize === ZIP64_U32_SENTINEL,
    fields.compressedSize === ZIP64_U32_SENTINEL,
    fields.localHeaderOffset === ZIP64_U32_SENTINEL,
  ];
  if (!wanted.some(Boolean) && diskStart !== ZIP64_U16_SENTINEL) return fields;
  const block = findExtraBlock(extra, ZIP64_EXTRA_ID, offset);
  const values: number[] = [];
  let pos = 0;
  for (const need of wanted) {
    if (!need) {
      values.push(-1);
      continue;
    }
    if (block === null || pos + 8 > block.length) {
      throw new FormatError(
        "MALFORMED",
        "Cannot read zip64 extra field: missing or too short",
        offset,
      );
    }
    values.push(u64(block, pos, "zip64 extra value"));
    pos += 8;
  }
  const [uncompressed = -1, compressed = -1, local = -1] = values;
  return {
    uncompressedSize: uncompressed >= 0 ? uncompressed : fields.uncompressedSize,
    compressedSize: compressed >= 0 ? compressed : fields.compressedSize,
    localHeaderOffset: local >= 0 ? local : fields.localHeaderOffset,
  };
}
