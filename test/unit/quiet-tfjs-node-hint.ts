// jest setupFiles for unit tests: TF.js's CPU backend suggests installing @tensorflow/tfjs-node at first use in
// Node. That package cannot install here (it downloads a native library), and the hint would drown test output.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('tfjs-node')) return;
  warn(...args);
};
