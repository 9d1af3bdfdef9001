/** Builds ONNX protobuf bytes in code (field numbers from `onnx/onnx.proto`). */
export function varint(value: bigint | number): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

export const intField = (field: number, value: bigint | number): number[] => [
  ...varint(field << 3),
  ...varint(value),
];

export function lenField(field: number, payload: readonly number[] | string): number[] {
  const bytes = typeof payload === "string" ? [...new TextEncoder().encode(payload)] : payload;
  return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
}

export const node = (opType: string, domain = "", attrs: readonly number[][] = []) => [
  ...lenField(1, "x"),
  ...lenField(2, "y"),
  ...lenField(4, opType),
  ...attrs.flatMap((a) => lenField(5, a)),
  ...(domain === "" ? [] : lenField(7, domain)),
];

export function tensor(
  name: string,
  location?: string,
  external = location !== undefined,
): number[] {
  return [
    ...intField(1, 4),
    ...intField(2, 1),
    ...lenField(8, name),
    ...(external ? [] : lenField(9, new Array(16).fill(0))),
    ...(location === undefined
      ? []
      : [
          ...lenField(13, [...lenField(1, "location"), ...lenField(2, location)]),
          ...lenField(13, [...lenField(1, "offset"), ...lenField(2, "0")]),
        ]),
    ...(external ? intField(14, 1) : []),
  ];
}

export const graph = (nodes: readonly number[][], initializers: readonly number[][] = []) => [
  ...nodes.flatMap((n) => lenField(1, n)),
  ...lenField(2, "g"),
  ...initializers.flatMap((t) => lenField(5, t)),
];

export const opset = (domain: string, version: number) => [
  ...(domain === "" ? [] : lenField(1, domain)),
  ...intField(2, version),
];

export function model(
  g: readonly number[],
  opsets: readonly number[][] = [opset("", 17)],
  functions: readonly number[][] = [],
): Uint8Array {
  return Uint8Array.from([
    ...intField(1, 8),
    ...lenField(2, "trainguard-test"),
    ...lenField(7, g),
    ...opsets.flatMap((o) => lenField(8, o)),
    ...functions.flatMap((f) => lenField(25, f)),
  ]);
}

/** A FunctionProto: name 1, node 7, opset_import 9, domain 10. */
export const fn = (name: string, domain: string, nodes: readonly number[][]) => [
  ...lenField(1, name),
  ...nodes.flatMap((n) => lenField(7, n)),
  ...lenField(9, opset("", 17)),
  ...lenField(10, domain),
];

/** An AttributeProto holding a subgraph (g = 6), type GRAPH (20 = 5). */
export const graphAttr = (name: string, g: readonly number[]) => [
  ...lenField(1, name),
  ...lenField(6, g),
  ...intField(20, 5),
];
