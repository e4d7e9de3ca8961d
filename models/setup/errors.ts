// Setup failures are reported as ONE line (the CLI prints `message` and exits 1), so the message must say
// which file, what was expected and where setup looked.
export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}
