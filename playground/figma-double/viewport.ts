// figma.viewport: where the canvas looks. The double has no screen: it keeps center and zoom, and records every
// scrollAndZoomIntoView call (the ids of the nodes) so tests can check that a result was brought into view.
import type { DoubleBaseNode } from './nodes';

export class ViewportDouble {
  center: Vector = { x: 0, y: 0 };
  zoom = 1;
  /** One entry per scrollAndZoomIntoView call: the ids of the nodes it was given. */
  readonly scrolledIntoView: string[][] = [];

  scrollAndZoomIntoView(nodes: ReadonlyArray<DoubleBaseNode>): void {
    this.scrolledIntoView.push(nodes.map((node) => node.id));
    const boxes = nodes.flatMap((node) => ('absoluteBoundingBox' in node ? [(node as { absoluteBoundingBox: Rect }).absoluteBoundingBox] : []));
    if (boxes.length === 0) return;
    const left = Math.min(...boxes.map((b) => b.x));
    const top = Math.min(...boxes.map((b) => b.y));
    const right = Math.max(...boxes.map((b) => b.x + b.width));
    const bottom = Math.max(...boxes.map((b) => b.y + b.height));
    this.center = { x: (left + right) / 2, y: (top + bottom) / 2 };
  }

  /** What Figma shows on a 1440 x 900 screen at this center and zoom. */
  get bounds(): Rect {
    const width = 1440 / this.zoom;
    const height = 900 / this.zoom;
    return { x: this.center.x - width / 2, y: this.center.y - height / 2, width, height };
  }
}
