/**
 * Just enough MessagePack (https://github.com/msgpack/msgpack/blob/master/spec.md) to check the sync messages'
 * outer shape: array headers and unsigned integers. Anything else is an error that names the byte, not a guess.
 */
export class MsgPackReader {
  private readonly view: DataView;
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** True when every byte has been read. */
  get atEnd(): boolean {
    return this.offset === this.bytes.length;
  }

  /** The length of the array that starts here (fixarray, array 16, array 32). */
  arrayLength(): number {
    const head = this.byte();
    if (head >= 0x90 && head <= 0x9f) return head & 0x0f;
    if (head === 0xdc) return this.take(2, (at) => this.view.getUint16(at));
    if (head === 0xdd) return this.take(4, (at) => this.view.getUint32(at));
    throw this.unexpected(head, "an array");
  }

  /** An unsigned integer (positive fixint, uint 8/16/32/64), as a number when it is one exactly. */
  uint(): number {
    const head = this.byte();
    if (head <= 0x7f) return head;
    if (head === 0xcc) return this.byte();
    if (head === 0xcd) return this.take(2, (at) => this.view.getUint16(at));
    if (head === 0xce) return this.take(4, (at) => this.view.getUint32(at));
    if (head === 0xcf) {
      const value = this.take(8, (at) => this.view.getBigUint64(at));
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`uint ${value} at byte ${this.offset - 9} is beyond a safe number`);
      return Number(value);
    }
    throw this.unexpected(head, "an unsigned integer");
  }

  private byte(): number {
    return this.take(1, (at) => this.view.getUint8(at));
  }

  private take<T>(size: number, read: (at: number) => T): T {
    if (this.offset + size > this.bytes.length) throw new RangeError(`the message ends inside a value at byte ${this.offset}`);
    const value = read(this.offset);
    this.offset += size;
    return value;
  }

  private unexpected(head: number, wanted: string): Error {
    return new TypeError(`expected ${wanted} at byte ${this.offset - 1}, found 0x${head.toString(16).padStart(2, "0")}`);
  }
}
