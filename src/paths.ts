// Where prefloop's own files live, found from this module so it works from src/ (tsx) and dist/.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The package root (the folder holding package.json). */
export const packageRoot = fileURLToPath(new URL('../', import.meta.url));

/** A path inside the package, e.g. packagePath('src', 'sink', 'migrations'). */
export function packagePath(...parts: string[]): string {
  return join(packageRoot, ...parts);
}
