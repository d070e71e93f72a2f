import { chromiumMissingMessage } from '../../tools/browser/chromium.ts';

/** Global setup of the browser projects: stop with instructions when Chromium is absent. */
export default function requireChromium(): void {
  const message = chromiumMissingMessage();
  if (message !== undefined) throw new Error(message);
}
