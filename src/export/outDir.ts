// The export folder is prepared like a store's folder (see src/outDir.ts); exporters import it from here.
export { prepareOutDir } from '../outDir.js';
export type { OutDir } from '../outDir.js';
