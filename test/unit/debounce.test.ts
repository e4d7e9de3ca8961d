// The panel's settings saves (ui/debounce.ts): one call after a burst, and flush() sends a waiting one at once (Run
// does, so the sandbox has the settings the job's result is written with).
import { debounce } from '../../ui/debounce';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('a burst of calls ends in one call, with the last value, after the delay', () => {
  const calls: number[] = [];
  const save = debounce((value: number) => calls.push(value), 300);
  save(1);
  save(2);
  jest.advanceTimersByTime(299);
  expect(calls).toEqual([]);
  save(3);
  jest.advanceTimersByTime(300);
  expect(calls).toEqual([3]);
});

test('flush calls at once with the waiting value, once; with nothing waiting it does nothing', () => {
  const calls: number[] = [];
  const save = debounce((value: number) => calls.push(value), 300);
  save.flush();
  expect(calls).toEqual([]);
  save(1);
  save(2);
  save.flush();
  expect(calls).toEqual([2]);
  jest.advanceTimersByTime(1000);
  save.flush();
  expect(calls).toEqual([2]);
});
