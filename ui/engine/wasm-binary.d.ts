// The TF.js WASM binary, inlined by esbuild's `with { type: 'bytes' }` import (the plugin has no network to fetch it).
declare module '*.wasm' {
  const bytes: Uint8Array;
  export default bytes;
}
