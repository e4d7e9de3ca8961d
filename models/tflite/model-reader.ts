// Reads a .tflite file into plain objects: tensors, buffers, operators, with op codes resolved.
import { FbTable } from './flatbuffer-table';
import { Field, opName, tensorTypeName, type OpName, type TensorTypeName } from './schema';
import { readBuiltinOptions, type BuiltinOptions } from './options';

export interface Quantization {
  scale: number[];
  zeroPoint: number[];
  /** Axis the scales run along when there are several (per-channel quantization). */
  quantizedDimension: number;
  min: number[];
  max: number[];
}

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  type: TensorTypeName;
  /** Raw bytes of a constant tensor (view into the file), undefined for activations. */
  data?: Uint8Array;
  quantization?: Quantization;
}

export interface TfliteOperator {
  index: number;
  op: OpName | `OP_${number}`;
  /** Tensor indexes; -1 marks an omitted optional input. */
  inputs: number[];
  outputs: number[];
  options: BuiltinOptions;
}

export interface TfliteModel {
  version: number;
  description?: string;
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
  inputs: number[];
  outputs: number[];
}

/** Builtin code of an OperatorCode: newer files use `builtin_code` (int32), older ones only the int8
 *  `deprecated_builtin_code`; converters write both with the larger one being right (schema.fbs comment). */
function builtinCode(code: FbTable): number {
  const f = Field.OperatorCode;
  return Math.max(code.int8(f.deprecated_builtin_code), code.int32(f.builtin_code));
}

function readQuantization(q: FbTable | undefined): Quantization | undefined {
  if (!q) return undefined;
  const f = Field.QuantizationParameters;
  const scale = q.float32s(f.scale);
  if (scale.length === 0) return undefined;
  return {
    scale,
    zeroPoint: q.int64s(f.zero_point),
    quantizedDimension: q.int32(f.quantized_dimension),
    min: q.float32s(f.min),
    max: q.float32s(f.max),
  };
}

/** Reads the first subgraph of a TFLite model (our graphs have one). */
export function readTfliteModel(file: Uint8Array): TfliteModel {
  // A plain Uint8Array view (Node Buffers have copy-less `slice`, which would leak the whole file downstream).
  const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  const model = FbTable.root(bytes);
  const M = Field.Model;
  const buffers = model.tables(M.buffers).map((b) => bufferData(b, bytes));
  const codes = model.tables(M.operator_codes).map(builtinCode);
  const subgraph = model.tables(M.subgraphs)[0];
  if (!subgraph) throw new Error('TFLite model has no subgraph');
  const S = Field.SubGraph;
  const T = Field.Tensor;
  const tensors = subgraph.tables(S.tensors).map((t, index): TfliteTensor => {
    const data = buffers[t.uint32(T.buffer)];
    return {
      index,
      name: t.string(T.name) ?? `tensor_${index}`,
      shape: t.int32s(T.shape),
      type: tensorTypeName(t.int8(T.type)),
      data: data && data.length > 0 ? data : undefined,
      quantization: readQuantization(t.table(T.quantization)),
    };
  });
  const O = Field.Operator;
  const operators = subgraph.tables(S.operators).map((o, index): TfliteOperator => {
    const code = codes[o.uint32(O.opcode_index)];
    if (code === undefined) throw new Error(`operator ${index} has a bad opcode index`);
    const op = opName(code);
    return {
      index,
      op,
      inputs: o.int32s(O.inputs),
      outputs: o.int32s(O.outputs),
      options: readBuiltinOptions(op, o.table(O.builtin_options)),
    };
  });
  return {
    version: model.uint32(M.version),
    description: model.string(M.description),
    tensors,
    operators,
    inputs: subgraph.int32s(S.inputs),
    outputs: subgraph.int32s(S.outputs),
  };
}

/** A buffer's bytes: inline `data`, or (files over 2 GB) an offset/size into the file. */
function bufferData(buffer: FbTable, file: Uint8Array): Uint8Array | undefined {
  const inline = buffer.bytes(Field.Buffer.data);
  if (inline) return inline;
  const offset = buffer.uint64(Field.Buffer.offset);
  // Offsets 0 and 1 are placeholders meaning "no data" in the schema.
  if (offset <= 1) return undefined;
  return file.subarray(offset, offset + buffer.uint64(Field.Buffer.size));
}
