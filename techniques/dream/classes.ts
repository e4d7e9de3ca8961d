// Finding an ImageNet class by name for a class dream ("goldfish", "tabby", or an index), and matching classes
// between the two networks, whose label lists differ (MobileNetV2: 1001 with "background" at 0; Darknet: 1000).
import { shortLabel } from '../../models/networks/label-text';

export interface ClassMatch {
  index: number;
  label: string;
}

/**
 * Classes whose label contains `query` (case-insensitive), best first: a label part equal to the query ("cat" finds
 * nothing exact; "tabby" finds "tabby, tabby cat"), then labels holding it as a whole word ("Egyptian cat"), then
 * labels starting with it ("catamaran"), then words starting with it, then any substring; index order within each.
 * A whole number is taken as an index (if in range).
 */
export function findClasses(labels: readonly string[], query: string | number, limit = 20): ClassMatch[] {
  const text = String(query).trim();
  if (/^\d+$/.test(text)) {
    const index = Number(text);
    return index < labels.length ? [{ index, label: labels[index] }] : [];
  }
  const needle = text.toLowerCase();
  if (!needle) return [];
  const rank = (label: string) => {
    const l = label.toLowerCase();
    const words = l.split(/[^a-z0-9'-]+/).filter(Boolean);
    if (l.split(',').some((part) => part.trim() === needle)) return 0;
    if (needle.split(/\s+/).length === 1 ? words.includes(needle) : new RegExp(`\\b${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(l)) return 1;
    if (l.startsWith(needle)) return 2;
    if (words.some((w) => w.startsWith(needle))) return 3;
    return 4;
  };
  return labels
    .map((label, index) => ({ index, label, rank: rank(label) }))
    .filter(({ label }) => label.toLowerCase().includes(needle))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, limit)
    .map(({ index, label }) => ({ index, label }));
}

/** The index of exactly this label in another network's list (labels are the same strings), or -1. */
export function classIndexByLabel(labels: readonly string[], label: string): number {
  const exact = labels.indexOf(label);
  if (exact >= 0) return exact;
  const short = shortLabel(label).toLowerCase();
  return labels.findIndex((l) => shortLabel(l).toLowerCase() === short);
}
