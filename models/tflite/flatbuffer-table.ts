// A tiny typed view over one FlatBuffers table, so the TFLite schema can be read by field index without
// generated code. Field i of a table lives at vtable slot 4 + 2*i (FlatBuffers layout rule).
import { ByteBuffer } from 'flatbuffers';

export class FbTable {
  constructor(
    readonly bb: ByteBuffer,
    readonly pos: number,
  ) {}

  /** The root table of a FlatBuffers file. */
  static root(bytes: Uint8Array): FbTable {
    const bb = new ByteBuffer(bytes);
    return new FbTable(bb, bb.readInt32(bb.position()) + bb.position());
  }

  /** Byte offset of field `index` relative to the table start, or 0 when the field is absent. */
  private field(index: number): number {
    return this.bb.__offset(this.pos, 4 + 2 * index);
  }

  has(index: number): boolean {
    return this.field(index) !== 0;
  }

  int8(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? this.bb.readInt8(this.pos + o) : fallback;
  }

  uint8(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? this.bb.readUint8(this.pos + o) : fallback;
  }

  bool(index: number, fallback = false): boolean {
    const o = this.field(index);
    return o ? this.bb.readUint8(this.pos + o) !== 0 : fallback;
  }

  int32(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? this.bb.readInt32(this.pos + o) : fallback;
  }

  uint32(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? this.bb.readUint32(this.pos + o) : fallback;
  }

  /** uint64 as a JS number (file offsets and sizes stay far below 2^53). */
  uint64(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? Number(this.bb.readUint64(this.pos + o)) : fallback;
  }

  float32(index: number, fallback = 0): number {
    const o = this.field(index);
    return o ? this.bb.readFloat32(this.pos + o) : fallback;
  }

  string(index: number): string | undefined {
    const o = this.field(index);
    return o ? (this.bb.__string(this.pos + o) as string) : undefined;
  }

  /** A sub-table field, or undefined when absent. */
  table(index: number): FbTable | undefined {
    const o = this.field(index);
    return o ? new FbTable(this.bb, this.bb.__indirect(this.pos + o)) : undefined;
  }

  /** A vector of tables. */
  tables(index: number): FbTable[] {
    const o = this.field(index);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    const n = this.bb.__vector_len(this.pos + o);
    const out: FbTable[] = [];
    for (let i = 0; i < n; i++) out.push(new FbTable(this.bb, this.bb.__indirect(start + 4 * i)));
    return out;
  }

  int32s(index: number): number[] {
    return this.scalars(index, 4, (p) => this.bb.readInt32(p));
  }

  float32s(index: number): number[] {
    return this.scalars(index, 4, (p) => this.bb.readFloat32(p));
  }

  /** int64 vector read as JS numbers (zero points are small, so no precision is lost). */
  int64s(index: number): number[] {
    return this.scalars(index, 8, (p) => Number(this.bb.readInt64(p)));
  }

  /** A [ubyte] vector as a view into the file (no copy). */
  bytes(index: number): Uint8Array | undefined {
    const o = this.field(index);
    if (!o) return undefined;
    const start = this.bb.__vector(this.pos + o);
    const n = this.bb.__vector_len(this.pos + o);
    const all = this.bb.bytes();
    return all.subarray(start, start + n);
  }

  private scalars(index: number, width: number, read: (p: number) => number): number[] {
    const o = this.field(index);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    const n = this.bb.__vector_len(this.pos + o);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(read(start + width * i));
    return out;
  }
}
