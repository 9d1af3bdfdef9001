import { FormatError } from "../format-error.js";

/**
 * Pax extended header records (POSIX.1-2017 pax, "pax Extended Header"): "<length> <key>=<value>\n",
 * where length counts the whole record in decimal. Returns the records in order.
 */
export function parsePaxRecords(bytes: Uint8Array, offset: number): Map<string, string> {
  const records = new Map<string, string>();
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let pos = 0;
  // tarfile stops at the first NUL (padding), so we do too.
  while (pos < bytes.length && bytes[pos] !== 0) {
    const space = bytes.indexOf(0x20, pos);
    const digits = space < 0 ? "" : decoder.decode(bytes.subarray(pos, space));
    if (!/^[1-9][0-9]{0,9}$/.test(digits)) {
      throw new FormatError(
        "MALFORMED",
        `Cannot read pax record: bad length "${digits}"`,
        offset + pos,
      );
    }
    const length = Number(digits);
    const end = pos + length;
    if (end > bytes.length || end <= space + 1 || bytes[end - 1] !== 0x0a) {
      throw new FormatError(
        "MALFORMED",
        `Cannot read pax record: length "${length}" does not end a record`,
        offset + pos,
      );
    }
    const record = bytes.subarray(space + 1, end - 1);
    const equals = record.indexOf(0x3d);
    if (equals <= 0)
      throw new FormatError("MALFORMED", "Cannot read pax record: no key", offset + pos);
    records.set(
      decoder.decode(record.subarray(0, equals)),
      decoder.decode(record.subarray(equals + 1)),
    );
    pos = end;
  }
  return records;
}
