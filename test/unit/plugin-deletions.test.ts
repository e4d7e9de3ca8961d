// The UI hears of layers deleted from the page the user is on (an undone result included), so a banner about a
// result that is gone can go; deletions on other pages, and before the UI is ready, are not sent.
import { rgba, runAndDeliver, sent, startPastiche } from '../../playground/figma-double/node-harness';

test('undoing a result tells the UI which layer went; other pages stay quiet', async () => {
  const d = await startPastiche();
  const photo = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 40, height: 30, rgba: rgba(4, 3) });
  const input = await runAndDeliver(d, photo);
  const done = sent(d, 'job-done').find((m) => m.id === input.id)!;
  expect(sent(d, 'layers-removed')).toEqual([]);

  expect(d.undo()).toBe(true);
  expect(sent(d, 'layers-removed').at(-1)).toEqual({ type: 'layers-removed', ids: [done.resultId] });

  const other = d.addPage('Other');
  const elsewhere = d.addRectangle({ name: 'Elsewhere', x: 0, y: 0, width: 10, height: 10, parent: other });
  const count = sent(d, 'layers-removed').length;
  elsewhere.remove();
  expect(sent(d, 'layers-removed').length).toBe(count);
  // Once the user is on that page, its deletions are the ones that count.
  await d.api.setCurrentPageAsync(other);
  const next = d.addRectangle({ name: 'Next', x: 0, y: 0, width: 10, height: 10, parent: other });
  next.remove();
  expect(sent(d, 'layers-removed').at(-1)).toEqual({ type: 'layers-removed', ids: [next.id] });
});
