// The panel: tabs per technique group, the selection, placement of results, and the current job's status.
import { Container, SegmentedControl, Tabs, Text, Toggle, Muted, VerticalSpace, Divider } from '@create-figma-plugin/ui';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { DEFAULT_SETTINGS, type ComputePreference, type JobRequest, type LayerSummary, type Placement, type Settings } from '../plugin/messages';
import { isTechniqueId, techniqueSpec, repairStoredParams, type TechniqueId, type TechniqueParams } from '../techniques/registry';
import type { TechniqueSpec } from '../techniques/technique-spec';
import { JobController, type JobState } from './job-controller';
import { onPluginMessage, sendToPlugin } from './plugin-bridge';
import { JobRunner } from './runner/job-runner';
import { startEngineHost } from './runner/engine-host';
import { requestEngineCode } from './runner/engine-code';
import { backendDetails, backendPreference, COMPUTE_OPTIONS, computeLabel, rememberReport } from './runner/backend-settings';
import type { BackendReport } from './engine/backend';
import { JobStatus } from './components/JobStatus';
import { SelectionSummary } from './components/SelectionSummary';
import { panelComponent, panelTabs, tabOf } from './panels';
import { debounce } from './debounce';
import { ActionBarTarget } from './components/ActionBar';
import { ResizeHandle } from './components/ResizeHandle';

const TABS = panelTabs();
/** Settings are saved this long after the last change (a slider drag is one save, not sixty). */
const SAVE_DELAY_MS = 300;

export function App() {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [selection, setSelection] = useState<LayerSummary[]>([]);
  const [job, setJob] = useState<JobState>({ phase: 'idle' });
  const [engine, setEngine] = useState<EngineState | null>(null);
  const [footer, setFooter] = useState<HTMLElement | null>(null);
  /** The technique chosen in each tab (tabs with one technique need none). */
  const [chosen, setChosen] = useState<Record<string, TechniqueId>>({});
  const runner = useRef<Promise<JobRunner> | null>(null);
  /** The settings as last set, for work that finishes later than the render that started it (the engine's start). */
  const latest = useRef<Settings>(DEFAULT_SETTINGS);
  /** Resolves when the stored settings have arrived: the engine chooses its backend only once it knows the setting. */
  const stored = useMemo(() => deferred<void>(), []);

  const getRunner = () => {
    runner.current ??= requestEngineCode().then((source) => startEngineHost(source, { preference: () => stored.promise.then(() => backendPreference(latest.current)) })).then((started) => {
      engineChanged(started.where, started.report);
      const created = new JobRunner(started);
      created.onBackendChanged((report) => engineChanged(started.where, report));
      return created;
    });
    return runner.current;
  };
  const controller = useMemo(() => new JobController(getRunner, setJob), []);
  const persist = useMemo(() => debounce((next: Settings) => sendToPlugin({ type: 'save-settings', settings: next }), SAVE_DELAY_MS), []);

  const saveSettings = (next: Settings) => {
    latest.current = next;
    setSettings(next);
    persist(next);
  };

  /** Shows where the engine computes now, and remembers a calibration it has just made. */
  const engineChanged = (where: string, report: BackendReport) => {
    setEngine({ where, report });
    const remembered = rememberReport(latest.current, report);
    if (remembered) saveSettings(remembered);
  };

  /** "Compute on": stored, and the engine moves there after the job it may be running. */
  const setCompute = (compute: ComputePreference) => {
    const next = { ...latest.current, compute };
    saveSettings(next);
    void getRunner()
      .then(async (current) => engineChanged(current.engine.where, await current.useBackend(backendPreference(next))))
      // The engine died meanwhile: the one replacing it reads the new setting when it starts.
      .catch(() => {});
  };

  const run = (request: JobRequest, placement = settings.placement, reapply = false) => {
    // The sandbox reads the stored settings (e.g. "Select and show each new result") when it writes the result: a
    // change made just before Run is sent now, ahead of the job, not 300 ms later.
    persist.flush();
    return controller.start(request, placement, techniqueSpec(request.technique).label, reapply);
  };

  useEffect(() => {
    const unsubscribe = onPluginMessage((message) => {
      if (message.type === 'init') {
        latest.current = message.settings;
        setSettings(message.settings);
        stored.resolve();
        setSelection(message.selection);
        if (message.relaunch) {
          const { technique, params, referenceId } = message.relaunch;
          const tab = tabOf(technique);
          setChosen((current) => ({ ...current, [tab]: technique }));
          const next = { ...message.settings, panel: tab, params: { ...message.settings.params, [technique]: params } };
          latest.current = next;
          setSettings(next);
          run({ technique, params, ...(referenceId ? { referenceId } : {}) }, next.placement, true);
        }
      } else if (message.type === 'selection') {
        setSelection(message.selection);
        // "Added …" or an old error no longer describe what the user is looking at. A list of matches stays: the
        // search selected them itself, and clicking through the list changes the selection.
        setJob((state) => ((state.phase === 'done' && !state.matches) || state.phase === 'failed' ? { phase: 'idle' } : state));
      } else if (message.type === 'layers-removed') {
        // "Added …" about a layer that was undone or deleted would not be true any more.
        setJob((state) => (state.phase === 'done' && state.resultIds.some((id) => message.ids.includes(id)) ? { phase: 'idle' } : state));
      } else {
        controller.handle(message);
      }
    });
    sendToPlugin({ type: 'ui-ready' });
    getRunner().catch((error) => setEngine({ error: error.message }));
    return unsubscribe;
  }, []);

  const tab = TABS.find((t) => t.id === settings.panel) ?? TABS[0];
  const technique = chosen[tab.id] && tab.techniques.includes(chosen[tab.id]) ? chosen[tab.id] : tab.techniques[0];
  const Panel = panelComponent(tab.id);
  const paramsOf = <Id extends TechniqueId>(id: Id): TechniqueParams[Id] => repairStoredParams(id, settings.params[id]);
  const setParams = <Id extends TechniqueId>(id: Id, params: TechniqueParams[Id]) =>
    saveSettings({ ...settings, params: { ...settings.params, [id]: params } });
  const result = resultControls(technique, paramsOf(technique));

  return (
    <div class="pastiche">
      {/* The library's tabs show each option's value as its label; the panel itself is rendered below. */}
      <Tabs
        options={TABS.map((t) => ({ value: t.label, children: null }))}
        value={tab.label}
        onValueChange={(label) => {
          saveSettings({ ...settings, panel: TABS.find((t) => t.label === label)!.id });
          setJob((state) => (state.phase === 'running' ? state : { phase: 'idle' }));
        }}
      />
      <ActionBarTarget.Provider value={footer}>
      <div class="pastiche-scroll">
      <Container space="medium">
        <VerticalSpace space="medium" />
        <SelectionSummary selection={selection} />
        <VerticalSpace space="medium" />
        <Panel
          techniques={tab.techniques}
          technique={technique}
          setTechnique={(id) => isTechniqueId(id) && setChosen({ ...chosen, [tab.id]: id })}
          paramsOf={paramsOf}
          setParams={setParams}
          run={(request) => run(request)}
          canRun={selection.length > 0 && job.phase !== 'running'}
          selection={selection}
        />
        <VerticalSpace space="medium" />
        {result.addsLayer && <Divider />}
        {result.placeable && (
          <>
            <VerticalSpace space="small" />
            <Text><Muted>Put the result</Muted></Text>
            <VerticalSpace space="extraSmall" />
            <SegmentedControl
              options={[{ value: 'beside', children: 'Beside' }, { value: 'on-top', children: 'On top' }]}
              value={settings.placement}
              onValueChange={(value) => saveSettings({ ...settings, placement: value as Placement })}
            />
          </>
        )}
        {result.addsLayer && (
          <>
            <VerticalSpace space="small" />
            <Toggle value={settings.revealResult} onValueChange={(revealResult) => saveSettings({ ...settings, revealResult })}>
              <Text>Select and show each new result</Text>
            </Toggle>
          </>
        )}
        <VerticalSpace space="small" />
        <Text><Muted>Compute on</Muted></Text>
        <VerticalSpace space="extraSmall" />
        <SegmentedControl data-testid="compute" options={[...COMPUTE_OPTIONS]} value={settings.compute ?? 'auto'} onValueChange={(value) => setCompute(value as ComputePreference)} />
        <VerticalSpace space="medium" />
      </Container>
      </div>
      </ActionBarTarget.Provider>
      {/* Always in view, whatever the panel's length: the panel's button, the job's progress and Cancel. */}
      <footer class="pastiche-footer">
        <div ref={setFooter} />
        <JobStatus
          state={job}
          onCancel={() => controller.cancel()}
          onFinishEarly={() => controller.finishEarly()}
          onFocus={(layerId) => sendToPlugin({ type: 'focus-layer', layerId })}
        />
        <EngineStatus engine={engine} />
      </footer>
      <ResizeHandle
        onResize={(size) => {
          // The sandbox resizes the window and stores the size; the panel's copy of the settings follows, so a later
          // save does not put the old size back.
          setSettings((current) => ({ ...current, window: size }));
          sendToPlugin({ type: 'resize-window', size });
        }}
      />
    </div>
  );
}

/**
 * Which result settings mean something for this job (nothing that cannot be used is shown): where a new layer goes
 * (beside / on top) only for results placed by the source, not for fills that lie over their target or the frame of
 * an arrangement; "select and show" for every job that adds a layer (find similar selects its matches itself).
 */
function resultControls(technique: TechniqueId, params: unknown): { placeable: boolean; addsLayer: boolean } {
  const spec = techniqueSpec(technique) as unknown as TechniqueSpec;
  const layout = spec.layout?.(params as never).kind ?? 'image';
  return {
    placeable: !spec.collection && layout !== 'fill-source',
    addsLayer: spec.collection?.scope !== 'page',
  };
}

type EngineState = { where: string; report: BackendReport } | { error: string };

/** "Running on GPU" / "Running on CPU": what the user can act on, with the engine's details (where, why, the
 *  calibration's figures) for tests and support. */
function EngineStatus({ engine }: { engine: EngineState | null }) {
  const text = !engine ? 'Starting…' : 'error' in engine ? `Cannot compute here: ${engine.error}` : computeLabel(engine.report.backend);
  const running = engine && 'report' in engine ? engine : null;
  return (
    <Text>
      <Muted
        data-testid="engine"
        data-engine={running ? `${running.report.backend} in ${running.where}` : ''}
        data-reason={running?.report.reason ?? ''}
        title={running ? backendDetails(running.where, running.report) : ''}
      >
        {text}
      </Muted>
    </Text>
  );
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}
