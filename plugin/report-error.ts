// How a failed job reaches the user: the UI gets a typed `job-error` (to reset its progress state) and Figma shows
// the message as an error toast, so the failure is visible even if the panel is scrolled or collapsed.
import { toErrorData } from '../techniques/errors';
import { postToUi } from './ui-channel';

export function reportJobError(figma: PluginAPI, id: string, error: unknown): void {
  const data = toErrorData(error);
  postToUi(figma, { type: 'job-error', id, error: data });
  figma.notify(data.message, { error: true });
}
