import { writeFileSync } from 'node:fs';
import { CONSOLE_BUNDLE_MODULE, buildConsoleScript, consoleBundleModule } from './bundle.js';

/** `npm run build:console`: rebuilds the console's script and writes the module the system area serves it from. */
const script = await buildConsoleScript();
writeFileSync(CONSOLE_BUNDLE_MODULE, consoleBundleModule(script));
console.log(`Console: ${script.length} bytes → ${CONSOLE_BUNDLE_MODULE}`);
