// ImageNet label text: parsing the label file and the short name of a label. No TF.js (the panel searches labels).

/** One label per line; the file's trailing newline adds no label. */
export function parseLabels(text: string): string[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}

/** The short name of a label ("Egyptian cat" for "Egyptian cat", "tench" for "tench, Tinca tinca"). */
export function shortLabel(label: string): string {
  return label.split(',')[0].trim();
}
