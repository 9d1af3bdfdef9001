/**
 * A tiny tar writer for tests: each entry becomes a header block (with a correct checksum unless
 * told otherwise) plus its data padded to 512 bytes. Everything unusual is a knob.
 */
export interface TestTarEntry {
  name: string;
  data?: Uint8Array | string;
  typeflag?: string;
  linkName?: string;
  prefix?: string;
  /** "ustar" (POSIX, default), "gnu" or "v7" (no magic). */
  magic?: "ustar" | "gnu" | "v7";
  /** Size field value, when it should differ from the data length. */
  size?: number;
  /** Write the size field in GNU base-256. */
  base256?: boolean;
  checksum?: number;
  /** Put bytes at offsets of the header block after the checksum is computed (or before, if checksum is recomputed). */
  poke?: [offset: number, value: number][];
}

const enc = new TextEncoder();
const bytesOf = (data: Uint8Array | string | undefined): Uint8Array =>
  typeof data === "string" ? enc.encode(data) : (data ?? new Uint8Array());

function put(block: Uint8Array, at: number, length: number, text: string): void {
  block.set(enc.encode(text).subarray(0, length), at);
}

const octal = (value: number, width: number): string =>
  `${value.toString(8).padStart(width - 1, "0")}\0`;

export function tarHeader(entry: TestTarEntry, dataLength: number): Uint8Array {
  const block = new Uint8Array(512);
  put(block, 0, 100, entry.name);
  put(block, 100, 8, octal(0o644, 8));
  put(block, 108, 8, octal(0, 8));
  put(block, 116, 8, octal(0, 8));
  const size = entry.size ?? dataLength;
  if (entry.base256) {
    block[124] = 0x80;
    new DataView(block.buffer).setBigUint64(128, BigInt(size));
  } else {
    put(block, 124, 12, octal(size, 12));
  }
  put(block, 136, 12, octal(0, 12));
  block[156] = (entry.typeflag ?? "0").charCodeAt(0) || 0;
  put(block, 157, 100, entry.linkName ?? "");
  const magic = entry.magic ?? "ustar";
  if (magic === "ustar") put(block, 257, 8, "ustar\x0000");
  if (magic === "gnu") put(block, 257, 8, "ustar  \0");
  put(block, 345, 155, entry.prefix ?? "");
  for (const [at, value] of entry.poke ?? []) block[at] = value;
  let sum = 8 * 0x20;
  for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += block[i]!;
  put(block, 148, 8, `${(entry.checksum ?? sum).toString(8).padStart(6, "0")}\0 `);
  return block;
}

/** A pax extended header record, "<len> key=value\n", with the length counting itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = enc.encode(body).length + 1;
  while (enc.encode(`${length}${body}`).length !== length) length++;
  return `${length}${body}`;
}

export function buildTar(
  entries: readonly TestTarEntry[],
  options: { end?: number; trailing?: Uint8Array } = {},
): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    const data = bytesOf(entry.data);
    parts.push(
      tarHeader(entry, data.length),
      data,
      new Uint8Array((512 - (data.length % 512)) % 512),
    );
  }
  parts.push(new Uint8Array(512 * (options.end ?? 2)));
  if (options.trailing) parts.push(options.trailing);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}
