// The layer list of Darknet Tiny as stored in its converted weights' extras (written by the setup step from
// the Keras topology, read by the network function). Batch norm is already folded into each conv's kernel and
// bias, so a conv layer here is conv + bias + optional leaky ReLU.

export type Padding = 'same' | 'valid';

export type DarknetLayer =
  | {
      kind: 'conv';
      /** Output name (conv1..conv16) and weight prefix (`conv1/kernel`, `conv1/bias`). */
      name: string;
      kerasName: string;
      kernelSize: number;
      stride: number;
      padding: Padding;
      /** null for the last conv, whose output is the class score map. */
      leakyAlpha: number | null;
    }
  | { kind: 'maxpool'; name: string; kerasName: string; poolSize: number; stride: number; padding: Padding }
  | { kind: 'globalAvgPool'; name: string; kerasName: string };

export interface DarknetExtras {
  converterVersion: number;
  layers: DarknetLayer[];
  /** 1000 ImageNet labels in the network's class order. */
  labels: string[];
  /** Size the network was trained at; classify at this size. */
  inputSize: number;
  /** The batch-norm epsilon that was folded in, kept for reference. */
  batchNormEpsilon: number;
}
