// Starts the real prefloop pipeline for the bench (startPrefloop), with or without rubrics.
import { packagePath } from '../src/paths.js';

export interface BenchServer {
  port: number;
  /** Stops taking requests and drains everything into the store. */
  stop(): Promise<void>;
}

export async function startBenchServer(storeUrl: string, rubrics: boolean): Promise<BenchServer> {
  // Loaded by path so the bench builds before the pipeline entry point exists.
  const entry = packagePath('src', 'pipeline', 'startPrefloop.ts');
  const mod = (await import(entry)) as {
    startPrefloop: (o: Record<string, unknown>) => Promise<Record<string, unknown>>;
  };
  const running = await mod.startPrefloop({ storeUrl, endpoint: '127.0.0.1:0', rubrics });
  const address = running.address as { port: number } | undefined;
  const port = (running.port as number | undefined) ?? address?.port;
  if (!port) throw new Error('bench: startPrefloop returned no port');
  const stop = (running.stop ?? running.close) as () => Promise<void>;
  return { port, stop: () => stop.call(running) };
}
