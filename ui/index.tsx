// The UI iframe's entry: theme and the app (the build inlines the component library's CSS). Everything else lives in app.tsx.
import { render } from 'preact';
import { App } from './app';
import './ui.css';

// In Figma ("themeColors": true) <html> carries figma-light / figma-dark and Figma injects its colour tokens.
// Elsewhere (the playground) the component library's theme.css provides the tokens for a .figma-light or
// .figma-dark element below :root, so <body> gets the class that follows the system's scheme.
const root = document.documentElement;
if (!root.classList.contains('figma-light') && !root.classList.contains('figma-dark')) {
  document.body.classList.add(matchMedia('(prefers-color-scheme: dark)').matches ? 'figma-dark' : 'figma-light');
}
render(<App />, document.getElementById('app')!);
