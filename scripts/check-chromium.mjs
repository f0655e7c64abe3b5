// Fails early, with the fix, when Debian's Chromium is missing (Playwright cannot download one here).
import { existsSync } from 'node:fs';

if (!existsSync('/usr/bin/chromium')) {
  console.error('e2e tests need Debian\'s Chromium at /usr/bin/chromium.\nInstall it with:  apt-get install -y chromium');
  process.exit(1);
}
