// Test launcher: runs the prefloop CLI from source (tsx), so child-process tests need no `npm run build`.
import { run } from '../../src/cli/main.js';

process.exitCode = await run(process.argv.slice(2));
