// The panel: tabs per technique, the selection, placement of results, and the current job's status.
import { Container, SegmentedControl, Tabs, Text, Muted, VerticalSpace, Divider } from '@create-figma-plugin/ui';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { DEFAULT_SETTINGS, type JobRequest, type LayerSummary, type Placement, type Settings } from '../plugin/messages';
import { TECHNIQUES, type TechniqueId, type TechniqueParams } from '../techniques/catalog';
import { JobController, type JobState } from './job-controller';
import { onPluginMessage, sendToPlugin } from './plugin-bridge';
import { JobRunner } from './runner/job-runner';
import { engineSource, startEngineHost } from './runner/engine-host';
import { JobStatus } from './components/JobStatus';
import { SelectionSummary } from './components/SelectionSummary';
import { ComingSoon } from './components/ComingSoon';
import { BasicsPanel } from './panels/BasicsPanel';
import { StylePanel } from './panels/StylePanel';
import { COMING, PANELS, type PanelId } from './panels';

/** Which panel shows a technique, so "Apply again" opens the right one. */
const PANEL_OF: Record<TechniqueId, PanelId> = { invert: 'basics', grayscale: 'basics', blur: 'basics', style: 'style' };

export function App() {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [selection, setSelection] = useState<LayerSummary[]>([]);
  const [job, setJob] = useState<JobState>({ phase: 'idle' });
  const [engineLabel, setEngineLabel] = useState('starting…');
  const [basic, setBasic] = useState<'invert' | 'grayscale' | 'blur'>('invert');
  const runner = useRef<Promise<JobRunner> | null>(null);

  const getRunner = () => {
    runner.current ??= startEngineHost(engineSource()).then((engine) => {
      setEngineLabel(`${engine.backend} in ${engine.where}`);
      return new JobRunner(engine);
    });
    return runner.current;
  };
  const controller = useMemo(() => new JobController(getRunner, setJob), []);

  const saveSettings = (next: Settings) => {
    setSettings(next);
    sendToPlugin({ type: 'save-settings', settings: next });
  };

  const run = (request: JobRequest, placement = settings.placement, reapply = false) =>
    controller.start(request, placement, TECHNIQUES[request.technique].label, reapply);

  useEffect(() => {
    const unsubscribe = onPluginMessage((message) => {
      if (message.type === 'init') {
        setSettings(message.settings);
        setSelection(message.selection);
        if (message.relaunch) {
          const { technique, params, referenceId } = message.relaunch;
          if (technique === 'invert' || technique === 'grayscale' || technique === 'blur') setBasic(technique);
          const next = { ...message.settings, panel: PANEL_OF[technique], params: { ...message.settings.params, [technique]: params } };
          setSettings(next);
          run({ technique, params, ...(referenceId ? { referenceId } : {}) }, next.placement, true);
        }
      } else if (message.type === 'selection') {
        setSelection(message.selection);
      } else {
        controller.handle(message);
      }
    });
    sendToPlugin({ type: 'ui-ready' });
    getRunner().catch((error) => setEngineLabel(`unavailable: ${error.message}`));
    return unsubscribe;
  }, []);

  const setParams = <Id extends TechniqueId>(id: Id, params: TechniqueParams[Id]) =>
    saveSettings({ ...settings, params: { ...settings.params, [id]: params } });
  const panel = (PANELS.some((p) => p.id === settings.panel) ? settings.panel : 'style') as PanelId;
  const panelProps = { params: settings.params, setParams, run, canRun: selection.length > 0 && job.phase !== 'running' };

  return (
    <div class="pastiche">
      {/* The library's tabs show each option's value as its label; the panel itself is rendered below. */}
      <Tabs
        options={PANELS.map((p) => ({ value: p.label, children: null }))}
        value={PANELS.find((p) => p.id === panel)!.label}
        onValueChange={(label) => saveSettings({ ...settings, panel: PANELS.find((p) => p.label === label)!.id })}
      />
      <Container space="medium">
        <VerticalSpace space="medium" />
        <SelectionSummary selection={selection} />
        <VerticalSpace space="medium" />
        {panel === 'basics' ? (
          <BasicsPanel {...panelProps} technique={basic} setTechnique={setBasic} />
        ) : panel === 'style' ? (
          <StylePanel {...panelProps} selection={selection} />
        ) : (
          <ComingSoon {...COMING[panel]} />
        )}
        <VerticalSpace space="medium" />
        <Divider />
        <VerticalSpace space="small" />
        <Text><Muted>Put the result</Muted></Text>
        <VerticalSpace space="extraSmall" />
        <SegmentedControl
          options={[{ value: 'beside', children: 'Beside' }, { value: 'on-top', children: 'On top' }]}
          value={settings.placement}
          onValueChange={(value) => saveSettings({ ...settings, placement: value as Placement })}
        />
        <VerticalSpace space="medium" />
        <JobStatus state={job} onCancel={() => controller.cancel()} onFinishEarly={() => controller.finishEarly()} />
        <VerticalSpace space="small" />
        <Text><Muted data-testid="engine">Engine: {engineLabel}</Muted></Text>
      </Container>
    </div>
  );
}
