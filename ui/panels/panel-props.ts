import type { JobRequest } from '../../plugin/messages';
import type { TechniqueId, TechniqueParams } from '../../techniques/catalog';

/** What every technique panel gets from the app: the saved parameters and a way to run a job. */
export interface PanelProps {
  params: Partial<TechniqueParams>;
  setParams<Id extends TechniqueId>(id: Id, params: TechniqueParams[Id]): void;
  run(job: JobRequest): void;
  canRun: boolean;
}
