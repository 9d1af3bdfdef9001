import { LedgerError } from "../ledger-error.js";
import { TILE_WIDTH } from "./tile.js";

/** Largest entry a bundle can hold: big-endian uint16 length prefix (C2SP tlog-tiles "Log entries"). */
export const MAX_ENTRY_SIZE = 0xffff;

/** Bytes of the length prefix before each entry (C2SP tlog-tiles: "uint16 length-prefixed"). */
const LENGTH_PREFIX_SIZE = 2;

/** Largest well-formed bundle: 256 entries of 65,535 bytes with their prefixes. */
export const MAX_ENTRY_BUNDLE_SIZE = TILE_WIDTH * (LENGTH_PREFIX_SIZE + MAX_ENTRY_SIZE);

/** Encodes 1..256 entries as an entry bundle. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  assertWidth(entries.length);
  let total = 0;
  for (const [i, entry] of entries.entries()) {
    if (entry.length > MAX_ENTRY_SIZE) {
      throw new LedgerError(
        "LIMIT_EXCEEDED",
        `Cannot encode entry ${i}: it is ${entry.length} bytes, over ${MAX_ENTRY_SIZE}`,
      );
    }
    total += LENGTH_PREFIX_SIZE + entry.length;
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const entry of entries) {
    view.setUint16(offset, entry.length);
    out.set(entry, offset + LENGTH_PREFIX_SIZE);
    offset += LENGTH_PREFIX_SIZE + entry.length;
  }
  return out;
}

/**
 * Decodes a bundle that must hold exactly `width` entries (from its path or a verified
 * checkpoint) and nothing after them.
 */
export function decodeEntryBundle(bytes: Uint8Array, width: number): Uint8Array[] {
  assertWidth(width);
  if (bytes.length > MAX_ENTRY_BUNDLE_SIZE) {
    throw new LedgerError(
      "LIMIT_EXCEEDED",
      `Cannot decode entry bundle: ${bytes.length} bytes is over ${MAX_ENTRY_BUNDLE_SIZE}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: Uint8Array[] = [];
  let offset = 0;
  while (entries.length < width) {
    if (offset + LENGTH_PREFIX_SIZE > bytes.length) throw truncated(entries.length, offset);
    const length = view.getUint16(offset);
    offset += LENGTH_PREFIX_SIZE;
    if (offset + length > bytes.length) throw truncated(entries.length, offset);
    entries.push(bytes.slice(offset, offset + length));
    offset += length;
  }
  if (offset !== bytes.length) {
    throw new LedgerError(
      "MALFORMED_ENTRY_BUNDLE",
      `Cannot decode entry bundle: ${bytes.length - offset} bytes follow its ${width} entries`,
    );
  }
  return entries;
}

function assertWidth(width: number): void {
  if (!Number.isSafeInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new LedgerError(
      "MALFORMED_ENTRY_BUNDLE",
      `Cannot use entry bundle of ${width} entries: need 1..${TILE_WIDTH}`,
    );
  }
}

function truncated(entry: number, offset: number): LedgerError {
  return new LedgerError(
    "MALFORMED_ENTRY_BUNDLE",
    `Cannot decode entry ${entry} of bundle: truncated at byte ${offset}`,
  );
}
