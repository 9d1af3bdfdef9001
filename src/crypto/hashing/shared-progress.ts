/**
 * State that the main thread and every worker of one `hashFiles` call share through a
 * SharedArrayBuffer, so progress and cancellation cost no messages: a 64-bit count of bytes
 * hashed and an abort flag that workers check between reads.
 */

const BYTES_OFFSET = 0;
const ABORT_OFFSET = 8;
const SHARED_BYTES = 16;

export class SharedProgress {
  readonly buffer: SharedArrayBuffer;
  readonly #bytes: BigInt64Array;
  readonly #abort: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(SHARED_BYTES)) {
    this.buffer = buffer;
    this.#bytes = new BigInt64Array(buffer, BYTES_OFFSET, 1);
    this.#abort = new Int32Array(buffer, ABORT_OFFSET, 1);
  }

  add(bytes: number): void {
    Atomics.add(this.#bytes, 0, BigInt(bytes));
  }

  get bytesDone(): number {
    return Number(Atomics.load(this.#bytes, 0));
  }

  abort(): void {
    Atomics.store(this.#abort, 0, 1);
  }

  get aborted(): boolean {
    return Atomics.load(this.#abort, 0) !== 0;
  }
}
