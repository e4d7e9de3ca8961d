// Every technique, one line each: adding a technique is its folder techniques/<id>/ and one line here.
// (Tabs and menus order them by their panel group, then `menuOrder`, then id: see registry.ts.)
export { styleSpec } from './style/spec';
export { invertSpec } from './invert/spec';
export { grayscaleSpec } from './grayscale/spec';
export { blurSpec } from './blur/spec';
export { dreamSpec } from './dream/spec';
export { reconstructSpec } from './reconstruct/spec';
export { filtersSpec } from './filters/spec';
export { textureSpec } from './texture/spec';
export { channelsSpec } from './channels/spec';
export { similarSpec } from './similar/spec';
export { arrangeSpec } from './arrange/spec';
