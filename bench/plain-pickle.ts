/**
 * A large plain pickle shaped like what `pickle.dumps(obj, protocol=4)` writes for a dict of
 * lists of floats and strings (metrics, tokenizer tables): the case where other scanners manage
 * a few MB/s (research notes §4: picklescan 13-18 s on 63 MB).
 */
const MARK = 0x28;
const MEMOIZE = 0x94;
const BATCH = 1000;

function shortUnicode(out: number[], text: string): void {
  const bytes = Buffer.from(text, "utf8");
  out.push(0x8c, bytes.length, ...bytes, MEMOIZE);
}

export function plainPickle(targetBytes: number): Uint8Array {
  const out: number[] = [0x80, 0x04, 0x7d, MEMOIZE];
  const float = Buffer.alloc(8);
  let entry = 0;
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < targetBytes) {
    out.push(MARK);
    for (let i = 0; i < BATCH; i++, entry++) {
      shortUnicode(out, `k${entry}`);
      out.push(0x5d, MEMOIZE, MARK);
      for (let j = 0; j < 100; j++) {
        float.writeDoubleBE((entry * 100 + j) / 7);
        out.push(0x47, ...float);
      }
      for (let j = 0; j < 20; j++) shortUnicode(out, `s${j}`);
      out.push(0x65); // APPENDS
    }
    out.push(0x75); // SETITEMS
    const chunk = Uint8Array.from(out);
    chunks.push(chunk);
    size += chunk.length;
    out.length = 0;
  }
  chunks.push(Uint8Array.of(0x2e));
  return Buffer.concat(chunks);
}
