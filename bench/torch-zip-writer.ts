/**
 * Writes PyTorch-layout zip checkpoints of any size without holding them in memory: a real
 * `data.pkl` (protocol 2, as torch.save writes it) referencing stored storage members. Used by
 * the benchmark to make a 1 GiB checkpoint on the fly instead of committing one.
 */

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { crc32 } from "../src/formats/zip/index.js";

const S = (text: string): number[] => {
  const bytes = [...Buffer.from(text, "utf8")];
  return bytes.length < 256 ? [0x55, bytes.length, ...bytes] : [];
};
const U = (text: string): number[] => {
  const bytes = [...Buffer.from(text, "utf8")];
  const len = Buffer.alloc(4);
  len.writeUInt32LE(bytes.length);
  return [0x58, ...len, ...bytes];
};
const int = (n: number): number[] => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return [0x4a, ...b];
};

/** `OrderedDict({name_i: tensor_i})` where tensor i is a float32 vector of `numels[i]`. */
export function stateDictPickle(numels: readonly number[]): Uint8Array {
  const out: number[] = [0x80, 0x02];
  out.push(...[..."ccollections\nOrderedDict\n"].map((c) => c.charCodeAt(0)), 0x29, 0x52);
  out.push(0x28); // MARK for SETITEMS
  numels.forEach((numel, i) => {
    out.push(...U(`layers.${i}.weight`));
    out.push(...[..."ctorch._utils\n_rebuild_tensor_v2\n"].map((c) => c.charCodeAt(0)));
    out.push(0x28); // MARK for the args tuple
    // persistent id ('storage', torch.FloatStorage, key, 'cpu', numel)
    out.push(0x28, ...S("storage"), ...[..."ctorch\nFloatStorage\n"].map((c) => c.charCodeAt(0)));
    out.push(...U(String(i)), ...S("cpu"), ...int(numel), 0x74, 0x51);
    out.push(...int(0), ...int(numel), 0x85, ...int(1), 0x85, 0x89);
    out.push(...[..."ccollections\nOrderedDict\n"].map((c) => c.charCodeAt(0)), 0x29, 0x52);
    out.push(0x74, 0x52); // TUPLE, REDUCE
  });
  out.push(0x75, 0x2e); // SETITEMS, STOP
  return Uint8Array.from(out);
}

interface Central {
  name: Buffer;
  crc: number;
  size: number;
  offset: number;
}

const CHUNK = 8 * 1024 * 1024;

/** Writes `root/data.pkl`, `root/version` and one stored member of zeros per tensor. */
export async function writeTorchZip(
  path: string,
  root: string,
  numels: readonly number[],
): Promise<number> {
  const stream = createWriteStream(path);
  let offset = 0;
  const central: Central[] = [];
  const write = async (bytes: Uint8Array) => {
    offset += bytes.length;
    if (!stream.write(bytes)) await once(stream, "drain");
  };
  const zeros = new Uint8Array(CHUNK);
  const zeroCrc = new Map<number, number>();
  const crcOfZeros = (size: number): number => {
    let crc = 0;
    let left = size;
    const full = zeroCrc.get(CHUNK) ?? crc32(zeros);
    zeroCrc.set(CHUNK, full);
    while (left >= CHUNK) {
      crc = crc32(zeros, crc);
      left -= CHUNK;
    }
    return left > 0 ? crc32(zeros.subarray(0, left), crc) : crc;
  };
  const member = async (name: string, data: Uint8Array | number) => {
    const nameBytes = Buffer.from(`${root}/${name}`);
    const size = typeof data === "number" ? data : data.length;
    const crc = typeof data === "number" ? crcOfZeros(data) : crc32(data);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt32LE(crc >>> 0, 14);
    header.writeUInt32LE(size, 18);
    header.writeUInt32LE(size, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    central.push({ name: nameBytes, crc, size, offset });
    await write(header);
    await write(nameBytes);
    if (typeof data === "number") {
      for (let left = data; left > 0; left -= CHUNK)
        await write(zeros.subarray(0, Math.min(CHUNK, left)));
    } else await write(data);
  };
  await member("data.pkl", stateDictPickle(numels));
  await member("version", Buffer.from("3\n"));
  for (const [i, numel] of numels.entries()) await member(`data/${i}`, numel * 4);
  const cdStart = offset;
  for (const c of central) {
    const h = Buffer.alloc(46);
    h.writeUInt32LE(0x02014b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(20, 6);
    h.writeUInt32LE(c.crc >>> 0, 16);
    h.writeUInt32LE(c.size, 20);
    h.writeUInt32LE(c.size, 24);
    h.writeUInt16LE(c.name.length, 28);
    h.writeUInt32LE(c.offset, 42);
    await write(h);
    await write(c.name);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length, 8);
  end.writeUInt16LE(central.length, 10);
  end.writeUInt32LE(offset - cdStart, 12);
  end.writeUInt32LE(cdStart, 16);
  await write(end);
  stream.end();
  await once(stream, "close");
  return offset;
}
