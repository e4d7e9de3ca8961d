// A tiny static server for the playground, bound to 127.0.0.1 only: the built plugin (dist/), the playground
// page and the default images that the setup step verified into .cache/images.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const ROUTES: Array<[prefix: string, folder: string]> = [
  ['/dist/', path.join(root, 'dist')],
  ['/images/', path.join(root, '.cache', 'images')],
  ['/', path.join(root, 'playground', 'public')],
];
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.tflite': 'application/octet-stream',
};

export interface PlaygroundServer {
  url: string;
  close(): Promise<void>;
}

/** Serves extra folders too (the benchmark serves node_modules files this way). */
export function startPlaygroundServer(port = 0, extraRoutes: Array<[string, string]> = []): Promise<PlaygroundServer> {
  const routes = [...extraRoutes, ...ROUTES];
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const pathname = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const route = routes.find(([prefix]) => pathname.startsWith(prefix));
    const file = route && path.join(route[1], pathname.slice(route[0].length));
    if (!route || !file || !file.startsWith(route[1])) {
      response.writeHead(404).end('not found');
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      resolve({
        url: `http://127.0.0.1:${actualPort}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
