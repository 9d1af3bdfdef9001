/**
 * SipHash (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012) with a configurable
 * number of compression and finalisation rounds. CPython keys its pyc source hash with it.
 * 64-bit words are kept as two unsigned 32-bit halves: a hi/lo pair per state word.
 */

const KEY_BYTES = 16;

/** The four state words v0..v3 as [hi, lo] pairs: s[2i] is the high half of vi. */
type State = Uint32Array;

function add(s: State, a: number, b: number): void {
  // va += vb (mod 2^64)
  const lo = s[2 * a + 1]! + s[2 * b + 1]!;
  s[2 * a] = (s[2 * a]! + s[2 * b]! + (lo > 0xffff_ffff ? 1 : 0)) >>> 0;
  s[2 * a + 1] = lo >>> 0;
}

function xor(s: State, a: number, b: number): void {
  s[2 * a] = (s[2 * a]! ^ s[2 * b]!) >>> 0;
  s[2 * a + 1] = (s[2 * a + 1]! ^ s[2 * b + 1]!) >>> 0;
}

function rotl(s: State, a: number, n: number): void {
  let hi = s[2 * a]!;
  let lo = s[2 * a + 1]!;
  if (n >= 32) {
    [hi, lo] = [lo, hi];
    n -= 32;
  }
  if (n > 0) {
    const newHi = ((hi << n) | (lo >>> (32 - n))) >>> 0;
    lo = ((lo << n) | (hi >>> (32 - n))) >>> 0;
    hi = newHi;
  }
  s[2 * a] = hi;
  s[2 * a + 1] = lo;
}

function sipRound(s: State): void {
  add(s, 0, 1);
  rotl(s, 1, 13);
  xor(s, 1, 0);
  rotl(s, 0, 32);
  add(s, 2, 3);
  rotl(s, 3, 16);
  xor(s, 3, 2);
  add(s, 0, 3);
  rotl(s, 3, 21);
  xor(s, 3, 0);
  add(s, 2, 1);
  rotl(s, 1, 17);
  xor(s, 1, 2);
  rotl(s, 2, 32);
}

function absorb(s: State, hi: number, lo: number, rounds: number): void {
  s[6] = (s[6]! ^ hi) >>> 0;
  s[7] = (s[7]! ^ lo) >>> 0;
  for (let i = 0; i < rounds; i++) sipRound(s);
  s[0] = (s[0]! ^ hi) >>> 0;
  s[1] = (s[1]! ^ lo) >>> 0;
}

/** SipHash-c-d of `data` under a 16-byte key; the 8-byte result is little-endian, as in the paper. */
export function sipHash(
  key: Uint8Array,
  data: Uint8Array,
  compressionRounds: number,
  finalRounds: number,
): Uint8Array {
  if (key.length !== KEY_BYTES) {
    throw new RangeError(`Cannot compute SipHash: key has ${key.length} bytes, not ${KEY_BYTES}`);
  }
  const keyView = new DataView(key.buffer, key.byteOffset, KEY_BYTES);
  const k0hi = keyView.getUint32(4, true);
  const k0lo = keyView.getUint32(0, true);
  const k1hi = keyView.getUint32(12, true);
  const k1lo = keyView.getUint32(8, true);
  // Initialisation constants: "somepseudorandomlygeneratedbytes".
  const s: State = Uint32Array.of(
    k0hi ^ 0x736f6d65,
    k0lo ^ 0x70736575,
    k1hi ^ 0x646f7261,
    k1lo ^ 0x6e646f6d,
    k0hi ^ 0x6c796765,
    k0lo ^ 0x6e657261,
    k1hi ^ 0x74656462,
    k1lo ^ 0x79746573,
  );
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const whole = data.length - (data.length % 8);
  for (let i = 0; i < whole; i += 8) {
    absorb(s, view.getUint32(i + 4, true), view.getUint32(i, true), compressionRounds);
  }
  // Last block: the remaining bytes little-endian, the input length mod 256 in the top byte.
  const tail = new Uint8Array(8);
  tail.set(data.subarray(whole));
  tail[7] = data.length & 0xff;
  const tailView = new DataView(tail.buffer);
  absorb(s, tailView.getUint32(4, true), tailView.getUint32(0, true), compressionRounds);
  s[5] = (s[5]! ^ 0xff) >>> 0;
  for (let i = 0; i < finalRounds; i++) sipRound(s);
  const out = new Uint8Array(8);
  const outView = new DataView(out.buffer);
  outView.setUint32(4, (s[0]! ^ s[2]! ^ s[4]! ^ s[6]!) >>> 0, true);
  outView.setUint32(0, (s[1]! ^ s[3]! ^ s[5]! ^ s[7]!) >>> 0, true);
  return out;
}

/** SipHash-1-3: one compression round, three finalisation rounds. */
export function sipHash13(key: Uint8Array, data: Uint8Array): Uint8Array {
  return sipHash(key, data, 1, 3);
}

/** SipHash-2-4, the paper's recommended parameters. */
export function sipHash24(key: Uint8Array, data: Uint8Array): Uint8Array {
  return sipHash(key, data, 2, 4);
}
