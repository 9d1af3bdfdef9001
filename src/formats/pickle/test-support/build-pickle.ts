/** Builders for pickle bytes in tests, following the notation of the research notes. */
export const enc = (text: string): number[] => [...Buffer.from(text, "latin1")];

/** SHORT_BINUNICODE of a string: `S(x)` in the research notes. */
export const S = (text: string): number[] => {
  const bytes = [...Buffer.from(text, "utf8")];
  return [0x8c, bytes.length, ...bytes];
};

export const P4 = [0x80, 0x04];
export const P2 = [0x80, 0x02];
export const SG = [0x93];
export const T1R = [0x85, 0x52];
export const STOP = [0x2e];

export const pk = (...parts: Array<number[] | string>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? enc(p) : p)));
