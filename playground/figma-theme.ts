// What Figma does to a plugin's UI when the plugin asks for `themeColors: true`: it puts the theme's class on <html>
// (figma-light / figma-dark) and defines the theme's colour tokens (--figma-color-*) on :root. The playground does
// the same, with the token values the component library ships (taken from Figma's documentation).
// (By path: the package's exports do not list its CSS files.)
import themeCss from '../node_modules/@create-figma-plugin/ui/lib/css/theme.css';

export type Theme = 'light' | 'dark';

/** The `--figma-color-*` declarations of one theme, from the library's `:root .figma-<theme> { … }` block. */
function tokens(theme: Theme): string {
  const block = new RegExp(`\\.figma-${theme}\\s*\\{([^}]*)\\}`).exec(themeCss);
  if (!block) throw new Error(`no figma-${theme} block in the theme tokens`);
  return block[1];
}

/** The UI's HTML as Figma would load it in `theme`: the class on <html>, the tokens on :root. */
export function withFigmaTheme(html: string, theme: Theme): string {
  const style = `<style id="figma-theme">:root{${tokens(theme)}}</style>`;
  return html.replace(/<html[^>]*>/, `<html class="figma-${theme}">`).replace('<head>', `<head>${style}`);
}
