// Techniques over many layers at once ("find similar", "arrange by similarity"): they read a set of images and
// answer with data about the layers — a ranking, or a grid arrangement — instead of new pixels. The sandbox
// exports the layers small (the spec's `collection.side`), the engine runs the technique, and the sandbox acts on
// the answer (selects the best matches, or builds a frame of copies). No TF.js here (the sandbox imports it).
import type { RgbaImage } from './image';

/** One layer of the set, as the technique sees it: its id (opaque) and its pixels. */
export interface CollectionItem {
  id: string;
  image: RgbaImage;
}

export interface CollectionImages {
  /** The layer the others are compared with (scope 'page'); absent for scope 'selection'. */
  query?: CollectionItem;
  items: CollectionItem[];
}

/** Most layers one job reads (a page "with hundreds of images", with room to spare). */
export const MAX_COLLECTION_ITEMS = 2000;

export type CollectionResult =
  /** Every item, most similar to the query first; `score` is a cosine similarity in [-1, 1]. */
  | { kind: 'ranking'; ranked: { id: string; score: number }[] }
  /** Every item once, in a grid cell of its own. */
  | { kind: 'arrangement'; cells: { id: string; col: number; row: number }[] };
