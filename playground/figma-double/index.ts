// The environment-neutral part of the figma double. Rasterizers are imported from their own files:
// './pngjs-rasterizer' (Node) or './canvas-rasterizer' (browser).
export { createFigmaDouble, type FigmaDouble, type FrameSpec, type ImageLayerSpec, type LayerSpec, type ShapeSpec } from './create-figma-double';
export { FigmaDoubleApi, type FigmaDoubleOptions } from './figma-api';
export type { Rasterizer, RecordedNotification, RgbaImage } from './figma-types';
export {
  DoubleBaseNode,
  DoubleBooleanOperation,
  DoubleCornerShape,
  DoubleDocument,
  DoubleEllipse,
  DoubleFrame,
  DoubleGroup,
  DoubleGroupLike,
  DoublePage,
  DoublePolygon,
  DoubleRectangle,
  DoubleRoundedBox,
  DoubleSceneNode,
  DoubleShapeNode,
  DoubleStar,
  DoubleText,
  DoubleVector,
  type ExportRecord,
} from './nodes';
export { MAX_CREATE_IMAGE_SIDE, hashBytes } from './image-store';
export { renderPlan, exportPixelSize, type PaintBox, type PaintSource } from './render-plan';
export type { UiHooks } from './ui-double';
export { ViewportDouble } from './viewport';
