// The UI iframe's entry: theme and the app (the build inlines the component library's CSS). Everything else lives in app.tsx.
import { render } from 'preact';
import { App } from './app';
import './ui.css';

// Figma sets figma-light / figma-dark on <html> (manifest "themeColors"); outside Figma follow the system.
const root = document.documentElement;
if (!root.classList.contains('figma-light') && !root.classList.contains('figma-dark')) {
  root.classList.add(matchMedia('(prefers-color-scheme: dark)').matches ? 'figma-dark' : 'figma-light');
}
render(<App />, document.getElementById('app')!);
