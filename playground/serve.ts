// `npm start`: serves the playground and prints its address. Ctrl-C stops it.
import { startPlaygroundServer } from './server';

const port = Number(process.env.PORT ?? 4173);
startPlaygroundServer(port).then(({ url }) => {
  console.log(`Pastiche playground: ${url}`);
  console.log('Click a layer to select it (shift-click for several), then use the plugin panel on the right.');
});
