// Jest globalSetup of the browser tests: without Chromium or Chrome, stop with one line that says how to get one,
// rather than a stack trace per test.
import { findChromium, NoBrowserError } from '../../../playground/chromium';

export default function requireBrowser(): void {
  try {
    findChromium();
  } catch (error) {
    if (!(error instanceof NoBrowserError)) throw error;
    process.stderr.write(`browser tests: ${error.message}\n`);
    process.exit(1);
  }
}
