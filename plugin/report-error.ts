// How a failed job reaches the user: the UI gets a typed `job-error` (to reset its progress state) and Figma shows
// the message as an error toast, so the failure is visible even if the panel is scrolled or collapsed. The text is
// cut to MAX_MESSAGE_TEXT: a toast is one line, and the UI refuses longer messages.
import { toErrorData } from '../techniques/errors';
import { MAX_MESSAGE_TEXT } from './messages';
import { postToUi } from './ui-channel';

export function reportJobError(figma: PluginAPI, id: string, error: unknown): void {
  const data = toErrorData(error);
  const message = data.message.length > MAX_MESSAGE_TEXT ? `${data.message.slice(0, MAX_MESSAGE_TEXT - 1)}…` : data.message;
  postToUi(figma, { type: 'job-error', id: id.slice(0, 100), error: { ...data, message } });
  figma.notify(message, { error: true });
}
