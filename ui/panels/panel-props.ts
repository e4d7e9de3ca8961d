import type { JobRequest, LayerSummary } from '../../plugin/messages';
import type { TechniqueId, TechniqueParams } from '../../techniques/registry';

/** What every technique panel gets from the app: its techniques, the saved parameters and a way to run a job. */
export interface PanelProps {
  /** The techniques of this tab, and the one chosen in it. */
  techniques: TechniqueId[];
  technique: TechniqueId;
  setTechnique(id: TechniqueId): void;
  /** Complete, valid parameters of a technique (saved ones repaired, else the defaults). */
  paramsOf<Id extends TechniqueId>(id: Id): TechniqueParams[Id];
  setParams<Id extends TechniqueId>(id: Id, params: TechniqueParams[Id]): void;
  run(job: JobRequest): void;
  canRun: boolean;
  selection: LayerSummary[];
}
