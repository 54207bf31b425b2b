// Starts the real prefloop pipeline for the bench and the hostile tests, with or without rubrics.
import { defaultConfig } from '../src/config/loadConfig.js';
import { packageRoot } from '../src/paths.js';
import { startPrefloop } from '../src/pipeline/startPrefloop.js';

export interface BenchServer {
  port: number;
  /** Stops taking requests and drains everything into the store. */
  stop(): Promise<void>;
}

/** The default pipeline (default rubric file) on `storeUrl`, on a free loopback port. */
export async function startBenchServer(storeUrl: string, rubrics: boolean): Promise<BenchServer> {
  const base = defaultConfig();
  const config = rubrics ? base : { ...base, rubrics: [] };
  const running = await startPrefloop({ config, storeUrl, endpoint: '127.0.0.1:0', cwd: packageRoot });
  return { port: Number(new URL(running.url).port), stop: () => running.close() };
}
