import assert from "node:assert/strict";
import { test } from "node:test";
import { TelemetryError } from "../telemetry-error.js";
import { bfloat16ToNumber, halfToNumber, scalarFromTensor } from "./tb-tensor.js";
import { bytes, double, float, message, varint } from "./test-support/tb-builder.js";

const le = (array: ArrayBufferView): Uint8Array =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
const scalarShape = bytes(2, new Uint8Array(0));

test("scalarFromTensor() reads each dtype from tensor_content, little-endian", () => {
  const content = (dtype: number, data: Uint8Array) =>
    scalarFromTensor(message(varint(1, dtype), scalarShape, bytes(4, data)));
  assert.equal(content(1, le(new Float32Array([0.375]))), 0.375);
  assert.equal(content(2, le(new Float64Array([0.1]))), 0.1);
  assert.equal(content(3, le(new Int32Array([-7]))), -7);
  assert.equal(content(9, le(new BigInt64Array([-(2n ** 40n)]))), -(2 ** 40));
  assert.equal(content(19, le(new Uint16Array([0x3c00]))), 1);
  assert.equal(content(14, le(new Uint16Array([0x3f80]))), 1);
});

test("scalarFromTensor() reads the typed value fields, packed or not", () => {
  const packedInt64 = bytes(10, new Uint8Array([0x00])); // one packed varint: 0
  assert.equal(scalarFromTensor(message(varint(1, 1), float(5, 2.5))), 2.5);
  assert.equal(scalarFromTensor(message(varint(1, 2), double(6, 0.1))), 0.1);
  assert.equal(scalarFromTensor(message(varint(1, 9), varint(10, 123456789012))), 123456789012);
  assert.equal(scalarFromTensor(message(varint(1, 9), packedInt64)), 0);
  assert.equal(scalarFromTensor(message(varint(1, 3), varint(7, -3))), -3);
  assert.equal(scalarFromTensor(message(varint(1, 19), varint(13, 0xbc00))), -1);
  assert.equal(scalarFromTensor(message(varint(1, 14), varint(13, 0x4049))), 3.140625);
});

test("scalarFromTensor() returns undefined for other dtypes and non-scalar shapes", () => {
  assert.equal(scalarFromTensor(message(varint(1, 7), bytes(8, new Uint8Array([1])))), undefined);
  const twoElements = bytes(2, message(bytes(2, message(varint(1, 2)))));
  assert.equal(scalarFromTensor(message(varint(1, 1), twoElements, float(5, 1))), undefined);
  const unknownRank = bytes(2, message(varint(3, 1)));
  assert.equal(scalarFromTensor(message(varint(1, 1), unknownRank, float(5, 1))), undefined);
});

test("scalarFromTensor() throws MALFORMED for a value count or content size that does not fit", () => {
  const cases = [
    message(varint(1, 1)),
    message(varint(1, 1), float(5, 1), float(5, 2)),
    message(varint(1, 2), bytes(4, new Uint8Array(3))),
    message(varint(1, 1), varint(5, 1)),
  ];
  for (const tensor of cases) {
    assert.throws(
      () => scalarFromTensor(tensor),
      (e: unknown) => e instanceof TelemetryError && e.code === "MALFORMED",
    );
  }
});

test("halfToNumber() and bfloat16ToNumber() cover subnormals, infinities and NaN", () => {
  assert.equal(halfToNumber(0x0001), 2 ** -24);
  assert.equal(halfToNumber(0x7bff), 65504);
  assert.equal(halfToNumber(0x7c00), Number.POSITIVE_INFINITY);
  assert.equal(halfToNumber(0xfc00), Number.NEGATIVE_INFINITY);
  assert.ok(Number.isNaN(halfToNumber(0x7e00)));
  assert.equal(halfToNumber(0x8000), -0);
  assert.equal(bfloat16ToNumber(0xff80), Number.NEGATIVE_INFINITY);
  assert.ok(Number.isNaN(bfloat16ToNumber(0x7fc0)));
});
