// The engine's progress for work that reports little: an estimate from earlier runs of the same job (time per pixel),
// capped, never backwards, and overtaken by the technique's own reports.
import { ESTIMATE_CAP, RunTimes, ShownProgress } from '../../ui/engine/progress-estimate';

test('no estimate before a job has run once; then time per pixel, scaled to the new size, the newest run weighing half', () => {
  const times = new RunTimes();
  expect(times.expected('style:{}', 1000)).toBeUndefined();
  times.record('style:{}', 1000, 2000); // 2 ms a pixel
  expect(times.expected('style:{}', 4000)).toBe(8000);
  times.record('style:{}', 1000, 4000); // 4 ms a pixel: the average moves halfway
  expect(times.expected('style:{}', 1000)).toBe(3000);
  expect(times.expected('style:{"strength":0.5}', 1000)).toBeUndefined(); // other settings, other timings
});

test('the bar follows the clock between reports, never past the cap, never backwards; real reports win when ahead', () => {
  const shown = new ShownProgress(0, 10_000);
  expect(shown.tick(50)).toBeNull(); // under 1%: no message
  expect(shown.tick(2_000)).toEqual({ fraction: 0.2 });
  expect(shown.reported(0.1, 'painting')).toEqual({ fraction: 0.2, message: 'painting' }); // behind the estimate: kept
  expect(shown.reported(0.6, 'tile 2 of 3')).toEqual({ fraction: 0.6, message: 'tile 2 of 3' });
  expect(shown.tick(5_000)).toBeNull(); // the estimate (50%) is behind what is shown
  expect(shown.tick(9_000)).toEqual({ fraction: 0.9, message: 'tile 2 of 3' });
  expect(shown.tick(60_000)).toEqual({ fraction: ESTIMATE_CAP, message: 'tile 2 of 3' });
  expect(shown.tick(90_000)).toBeNull();
  expect(shown.reported(1, undefined)).toEqual({ fraction: 1, message: 'tile 2 of 3' });
});

test('without an estimate the clock moves nothing', () => {
  const shown = new ShownProgress(0, undefined);
  expect(shown.tick(100_000)).toBeNull();
  expect(shown.reported(0.3, undefined)).toEqual({ fraction: 0.3 });
});
