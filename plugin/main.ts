// Entry point of the Figma sandbox (bundled to the plugin's "main"). It only wires the real `figma` global and the
// UI's HTML into startPlugin: everything else lives in small modules that take the API as a parameter, so the
// unit tests and the playground run the very same code against a double.
import { startPlugin } from './app';

startPlugin(figma, __html__);
