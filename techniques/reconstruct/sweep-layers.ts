// The layers the inversion sweep offers per network, shallow → deep: the end of each resolution stage (where the
// network has digested what that scale can tell it), so consecutive entries differ visibly. Only layers whose
// inversion converges in a designer's patience are offered: the feature error must fall 100x from the noise start
// within ~100 L-BFGS steps (VGG19) or ~200 (the cheaper MobileNetV2 and Darknet-tiny steps) at 64 px.
import type { MobileNetEndpoint } from '../../models/networks/mobilenet-v2';
import type { Vgg19Layer } from '../../models/networks/vgg19';

/** Strides 1, 2, 4, 4. relu3_2 is the Gatys content layer; relu3_4 the deepest converted layer (blocks 1-3). */
export const VGG19_SWEEP: readonly Vgg19Layer[] = ['relu1_2', 'relu2_2', 'relu3_2', 'relu3_4'];

/**
 * Strides 2 (stem), 4, 8, 16: the last block at each resolution up to 1/16. The stride-32 blocks (13-16) are left
 * out: their relu6 units saturate from a noise start and L-BFGS stalls (block_16 at 64 px: relative feature error
 * 1.33 → 0.78 after 300 steps, whatever the TV weight, history or a coarse-to-fine parameterisation).
 */
export const MOBILENET_V2_SWEEP: readonly MobileNetEndpoint[] = ['stem', 'block_2', 'block_5', 'block_12'];

/**
 * Strides 1, 2, 4, 4 (the depth of VGG19's sweep): conv1, conv2 and the 3x3 convs of the stride-4 stage. Deeper
 * convs converge too slowly to offer (conv10: a 56x fall in 150 steps at 64 px, conv14: 23x in 100).
 */
export const DARKNET_TINY_SWEEP: readonly string[] = ['conv1', 'conv2', 'conv4', 'conv6'];
