// The playground's canvas: draws the current page's top-level layers where they are, lets the user select them
// (click, shift-click), and lets tests read any layer's pixels as the rasterizer exports them.
import type { FigmaDouble } from './figma-double';
import type { DoubleSceneNode } from './figma-double/nodes';
import { createCanvasRasterizer } from './figma-double/canvas-rasterizer';

const MARGIN = 40;

export interface LayerInfo {
  id: string;
  name: string;
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  children: number;
  selected: boolean;
}

export class CanvasView {
  private readonly rasterizer = createCanvasRasterizer();
  /** Object URLs of rendered layers by node id: layers Pastiche writes never change after creation. */
  private readonly images = new Map<string, string>();

  constructor(
    private readonly element: HTMLElement,
    private readonly double: FigmaDouble,
    /** Called after every render, e.g. to show the selection's relaunch buttons. */
    private readonly onRender: () => void = () => undefined,
  ) {
    element.addEventListener('click', (event) => {
      if (event.target === element) this.selectOnly([]);
    });
  }

  private get page() {
    return this.double.api.currentPage;
  }

  layers(): LayerInfo[] {
    const selected = new Set(this.page.selection.map((node) => node.id));
    // The box a layer covers on the canvas (for a rotated layer: around it), as its export shows it.
    return this.page.children.map((node) => ({
      id: node.id,
      name: node.name,
      type: node.type,
      ...node.absoluteBoundingBox,
      children: 'children' in node ? (node.children as readonly unknown[]).length : 0,
      selected: selected.has(node.id),
    }));
  }

  async render(): Promise<void> {
    const nodes = this.page.children.filter((node) => node.visible);
    const boxes = new Map(nodes.map((node) => [node, node.absoluteBoundingBox]));
    const minX = Math.min(0, ...nodes.map((n) => boxes.get(n)!.x));
    const minY = Math.min(0, ...nodes.map((n) => boxes.get(n)!.y));
    const selected = new Set(this.page.selection.map((node) => node.id));
    const elements: HTMLElement[] = [];
    for (const node of nodes) {
      const box = document.createElement('div');
      box.className = `layer${selected.has(node.id) ? ' selected' : ''}`;
      box.dataset.id = node.id;
      box.dataset.name = node.name;
      const bounds = boxes.get(node)!;
      Object.assign(box.style, {
        left: `${bounds.x - minX + MARGIN}px`,
        top: `${bounds.y - minY + MARGIN}px`,
        width: `${bounds.width}px`,
        height: `${bounds.height}px`,
      });
      const image = document.createElement('img');
      image.alt = node.name;
      image.src = await this.imageUrl(node);
      const label = document.createElement('span');
      label.className = 'label';
      label.textContent = node.name;
      box.append(label, image);
      box.addEventListener('click', (event) => {
        event.stopPropagation();
        if (event.shiftKey) this.toggle(node);
        else this.selectOnly([node]);
      });
      elements.push(box);
    }
    this.element.replaceChildren(...elements);
    this.onRender();
  }

  /** The layer's pixels at scale 1, as exportAsync would give them. */
  async pixelsOf(id: string): Promise<{ width: number; height: number; data: number[] }> {
    const node = this.page.children.find((n) => n.id === id);
    if (!node) throw new Error(`no top-level layer ${id}`);
    const png = await this.rasterizer.exportPng(node, 1);
    const bitmap = await createImageBitmap(new Blob([png as Uint8Array<ArrayBuffer>]));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    return { width: bitmap.width, height: bitmap.height, data: Array.from(data) };
  }

  private async imageUrl(node: DoubleSceneNode): Promise<string> {
    let url = this.images.get(node.id);
    if (!url) {
      const png = await this.rasterizer.exportPng(node, 1);
      url = URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
      this.images.set(node.id, url);
    }
    return url;
  }

  private selectOnly(nodes: DoubleSceneNode[]): void {
    this.double.select(...nodes);
    void this.render();
  }

  private toggle(node: DoubleSceneNode): void {
    const current = this.page.selection.filter((n) => n.id !== node.id);
    this.selectOnly(current.length === this.page.selection.length ? [...current, node] : current);
  }
}
