// The sandbox opens the window with the panel alone and keeps the engine's code for the UI's 'load-engine'
// (plugin/ui-document.ts), with the real plugin against the figma double.
import { ENGINE_ELEMENT_OPEN, splitUiDocument } from '../../plugin/ui-document';
import { startPlugin } from '../../plugin/app';
import { createFigmaDouble } from '../../playground/figma-double/create-figma-double';
import { sent } from '../../playground/figma-double/node-harness';

const PANEL_HEAD = '<!doctype html><html><head><style>p{}</style></head><body><div id="app"></div><script>panel("</scr"+"ipt>")</script>\n';
const ENGINE = 'self.x = "<\\/script>"; /* engine */';
const FILE = `${PANEL_HEAD}${ENGINE_ELEMENT_OPEN}${ENGINE}</script>\n</body></html>`;

test('the UI file splits into the panel (without the engine element) and the engine code, exactly', () => {
  const { panel, engineCode } = splitUiDocument(FILE);
  expect(engineCode).toBe(ENGINE);
  expect(panel).toBe(`${PANEL_HEAD}\n</body></html>`);
});

test('a file without the engine element is all panel, and no engine code', () => {
  expect(splitUiDocument('<html><body>ui</body></html>')).toEqual({ panel: '<html><body>ui</body></html>', engineCode: '' });
  // An element that never closes is not cut (the file is broken; the UI will say the engine is missing).
  expect(splitUiDocument(`<body>${ENGINE_ELEMENT_OPEN}code`).engineCode).toBe('');
});

test('the window opens with the panel only; load-engine answers with the engine code', async () => {
  const double = createFigmaDouble();
  startPlugin(double.figma, FILE);
  expect(double.api.showUiCalls.map((call) => call.html)).toEqual([`${PANEL_HEAD}\n</body></html>`]);
  expect(sent(double, 'engine-code')).toEqual([]);
  await double.deliverToPlugin({ type: 'load-engine' });
  expect(sent(double, 'engine-code')).toEqual([{ type: 'engine-code', code: ENGINE }]);
});
