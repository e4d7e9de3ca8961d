// "Compare by": the two embedding spaces a designer can pick for find similar and arrange (CS231n lecture 12:
// nearest neighbours in a network's last-layer features find images of the same thing; in raw pixels they do not).
// Shared by both specs, so the choice reads the same in both. No TF.js.
import { choiceParam } from '../params';

export const compareParam = () =>
  choiceParam({
    label: 'Compare by',
    help: "what the network sees (MobileNetV2's last-layer features) or raw pixels (the lecture's counterpoint)",
    options: [
      { value: 'features', label: 'Meaning' },
      { value: 'pixels', label: 'Pixels' },
    ],
    default: 'features',
  });

export type Compare = 'features' | 'pixels';

export const describeCompare = (compare: Compare) => (compare === 'pixels' ? 'by pixels' : 'by meaning');
