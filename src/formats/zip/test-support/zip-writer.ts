import { deflateRawSync } from "node:zlib";
import { crc32 } from "../crc32.js";

/**
 * A tiny zip writer for tests, with knobs to inject each anomaly the reader reports. Offsets are
 * written as a normal writer would; `prefix` is prepended afterwards WITHOUT adjusting them, like
 * `cat payload.pkl archive.zip`.
 */
export interface TestEntry {
  name: string;
  data?: Uint8Array | string;
  method?: number;
  flags?: number;
  localFlags?: number;
  localName?: string;
  /** Stored in both headers instead of the real CRC. */
  crc?: number;
  localCrc?: number;
  localCompressedSize?: number;
  /** Write bit 3 and a data descriptor (with signature unless false). */
  descriptor?: boolean | "unsigned";
  /** Force sizes and offset into a zip64 extra field. */
  zip64?: boolean;
  comment?: string;
  localExtra?: Uint8Array;
  /** Bytes written after this member's data (a gap). */
  after?: Uint8Array;
  /** Point the central record at another entry's local header. */
  localOffsetOf?: number;
}

export interface TestZipOptions {
  prefix?: Uint8Array;
  comment?: string;
  /** Write zip64 end record and locator. */
  zip64End?: boolean;
  /** Saturate the 32-bit end record fields (requires zip64End to be readable). */
  saturateEnd?: boolean;
  /** Bytes between the central directory and the end record. */
  beforeEnd?: Uint8Array;
  /** Bytes in the central directory after the last entry (counted in its size). */
  directorySlack?: Uint8Array;
  trailing?: Uint8Array;
  entryCount?: number;
  directorySize?: number;
  directoryOffset?: number;
  /** Comment-length field value, when it should lie. */
  commentLength?: number;
}

const enc = new TextEncoder();
const bytesOf = (data: Uint8Array | string | undefined): Uint8Array =>
  typeof data === "string" ? enc.encode(data) : (data ?? new Uint8Array());

class Out {
  readonly chunks: Uint8Array[] = [];
  length = 0;
  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u16(v: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, true);
    this.bytes(b);
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.bytes(b);
  }
  u64(v: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
    this.bytes(b);
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let pos = 0;
    for (const c of this.chunks) {
      out.set(c, pos);
      pos += c.length;
    }
    return out;
  }
}

function zip64Extra(values: number[]): Uint8Array {
  const out = new Out();
  out.u16(0x0001);
  out.u16(values.length * 8);
  for (const v of values) out.u64(v);
  return out.concat();
}

export function buildZip(entries: readonly TestEntry[], options: TestZipOptions = {}): Uint8Array {
  const out = new Out();
  const central = new Out();
  const offsets: number[] = [];
  for (const entry of entries) {
    const raw = bytesOf(entry.data);
    const method = entry.method ?? 0;
    const body = method === 8 ? deflateRawSync(raw) : raw;
    const crc = entry.crc ?? crc32(raw);
    const flags = (entry.flags ?? 0) | (entry.descriptor ? 0x8 : 0);
    const localFlags = entry.localFlags ?? flags;
    const name = enc.encode(entry.name);
    const localName = entry.localName !== undefined ? enc.encode(entry.localName) : name;
    const offset = out.length;
    offsets.push(offset);
    const sat = entry.zip64 === true;
    const localExtra =
      entry.localExtra ?? (sat ? zip64Extra([raw.length, body.length]) : new Uint8Array());
    out.u32(0x04034b50);
    out.u16(sat ? 45 : 20);
    out.u16(localFlags);
    out.u16(method);
    out.u32(0);
    const hideSizes = entry.descriptor !== undefined && entry.descriptor !== false;
    out.u32(hideSizes ? 0 : (entry.localCrc ?? crc));
    out.u32(hideSizes ? 0 : sat ? 0xffffffff : (entry.localCompressedSize ?? body.length));
    out.u32(hideSizes ? 0 : sat ? 0xffffffff : raw.length);
    out.u16(localName.length);
    out.u16(localExtra.length);
    out.bytes(localName);
    out.bytes(localExtra);
    out.bytes(body);
    if (hideSizes) {
      if (entry.descriptor !== "unsigned") out.u32(0x08074b50);
      out.u32(crc);
      out.u32(body.length);
      out.u32(raw.length);
    }
    if (entry.after) out.bytes(entry.after);
    const recordedOffset =
      entry.localOffsetOf !== undefined ? (offsets[entry.localOffsetOf] ?? 0) : offset;
    const centralExtra = sat
      ? zip64Extra([raw.length, body.length, recordedOffset])
      : new Uint8Array();
    const comment = enc.encode(entry.comment ?? "");
    central.u32(0x02014b50);
    central.u16(sat ? 45 : 20);
    central.u16(sat ? 45 : 20);
    central.u16(flags);
    central.u16(method);
    central.u32(0);
    central.u32(crc);
    central.u32(sat ? 0xffffffff : body.length);
    central.u32(sat ? 0xffffffff : raw.length);
    central.u16(name.length);
    central.u16(centralExtra.length);
    central.u16(comment.length);
    central.u16(0);
    central.u16(0);
    central.u32(0);
    central.u32(sat ? 0xffffffff : recordedOffset);
    central.bytes(name);
    central.bytes(centralExtra);
    central.bytes(comment);
  }
  if (options.directorySlack) central.bytes(options.directorySlack);
  const cdOffset = options.directoryOffset ?? out.length;
  const cd = central.concat();
  out.bytes(cd);
  const cdSize = options.directorySize ?? cd.length;
  const count = options.entryCount ?? entries.length;
  if (options.beforeEnd) out.bytes(options.beforeEnd);
  if (options.zip64End) {
    const recordOffset = out.length;
    out.u32(0x06064b50);
    out.u64(44);
    out.u16(45);
    out.u16(45);
    out.u32(0);
    out.u32(0);
    out.u64(count);
    out.u64(count);
    out.u64(cdSize);
    out.u64(cdOffset);
    out.u32(0x07064b50);
    out.u32(0);
    out.u64(recordOffset);
    out.u32(1);
  }
  const sat = options.saturateEnd === true;
  const comment = enc.encode(options.comment ?? "");
  out.u32(0x06054b50);
  out.u16(0);
  out.u16(0);
  out.u16(sat ? 0xffff : count);
  out.u16(sat ? 0xffff : count);
  out.u32(sat ? 0xffffffff : cdSize);
  out.u32(sat ? 0xffffffff : cdOffset);
  out.u16(options.commentLength ?? comment.length);
  out.bytes(comment);
  if (options.trailing) out.bytes(options.trailing);
  const zip = out.concat();
  if (!options.prefix) return zip;
  const whole = new Uint8Array(options.prefix.length + zip.length);
  whole.set(options.prefix);
  whole.set(zip, options.prefix.length);
  return whole;
}
