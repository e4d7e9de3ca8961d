// The parts of the TFLite schema (tensorflow/lite/schema/schema.fbs) that Pastiche reads: enums and
// the field indexes of each table, written by hand.

/** TensorType enum values (schema.fbs). */
export const TensorType = {
  FLOAT32: 0,
  FLOAT16: 1,
  INT32: 2,
  UINT8: 3,
  INT64: 4,
  INT8: 9,
} as const;

export type TensorTypeName = 'FLOAT32' | 'FLOAT16' | 'INT32' | 'UINT8' | 'INT64' | 'INT8';

export function tensorTypeName(code: number): TensorTypeName {
  const found = (Object.keys(TensorType) as TensorTypeName[]).find((k) => TensorType[k] === code);
  if (!found) throw new Error(`TFLite tensor type ${code} is not supported`);
  return found;
}

/** BuiltinOperator enum values for the ops met in Pastiche's graphs (and a few neighbours). */
export const BuiltinOperator = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  FULLY_CONNECTED: 9,
  LOGISTIC: 14,
  MAX_POOL_2D: 17,
  MUL: 18,
  RELU: 19,
  RELU6: 21,
  RESHAPE: 22,
  RESIZE_BILINEAR: 23,
  SOFTMAX: 25,
  TANH: 28,
  PAD: 34,
  MEAN: 40,
  SUB: 41,
  DIV: 42,
  SQUEEZE: 43,
  RSQRT: 76,
  RESIZE_NEAREST_NEIGHBOR: 97,
  SQUARED_DIFFERENCE: 99,
  MIRROR_PAD: 100,
  QUANTIZE: 114,
} as const;

export type OpName = keyof typeof BuiltinOperator;

/** Name of a builtin op code, or `OP_<code>` for codes this reader does not know. */
export function opName(code: number): OpName | `OP_${number}` {
  const found = (Object.keys(BuiltinOperator) as OpName[]).find((k) => BuiltinOperator[k] === code);
  return found ?? `OP_${code}`;
}

/** Padding enum. */
export type Padding = 'same' | 'valid';
export function paddingName(code: number): Padding {
  return code === 0 ? 'same' : 'valid';
}

/** ActivationFunctionType enum. */
export type Activation = 'none' | 'relu' | 'relu_n1_to_1' | 'relu6' | 'tanh' | 'sign_bit';
const ACTIVATIONS: Activation[] = ['none', 'relu', 'relu_n1_to_1', 'relu6', 'tanh', 'sign_bit'];
export function activationName(code: number): Activation {
  const a = ACTIVATIONS[code];
  if (!a) throw new Error(`TFLite activation ${code} is not supported`);
  return a;
}

/** Field indexes of the tables read here (vtable order in schema.fbs). */
export const Field = {
  Model: { version: 0, operator_codes: 1, subgraphs: 2, description: 3, buffers: 4 },
  OperatorCode: { deprecated_builtin_code: 0, custom_code: 1, version: 2, builtin_code: 3 },
  SubGraph: { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 },
  Tensor: { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4 },
  QuantizationParameters: { min: 0, max: 1, scale: 2, zero_point: 3, quantized_dimension: 6 },
  Buffer: { data: 0, offset: 1, size: 2 },
  Operator: { opcode_index: 0, inputs: 1, outputs: 2, builtin_options_type: 3, builtin_options: 4 },
} as const;
