import { createContext } from '../../core/create-context';
import { seedApps, type SeedResult } from './seed-apps';

export interface SeedFigures extends SeedResult {
  objectsPerSecond: number;
  rssMiB: number;
  heapUsedMiB: number;
}

/**
 * Seeds `apps` apps into a fresh context and measures it: the benchmark behind "10,000 apps in
 * well under 30 s, RSS under 1 GiB". Prints one line unless `print` is false.
 */
export async function seedFigures(apps = 10_000, print = true): Promise<SeedFigures> {
  const ctx = createContext();
  const result = await seedApps(ctx, { apps });
  const memory = process.memoryUsage();
  const figures = {
    ...result,
    objectsPerSecond: Math.round((result.objects * 1000) / Math.max(1, result.ms)),
    rssMiB: Math.round(memory.rss / 2 ** 20),
    heapUsedMiB: Math.round(memory.heapUsed / 2 ** 20),
  };
  if (print) {
    console.log(
      `seed: ${figures.apps} apps, ${figures.objects} objects in ${figures.ms} ms ` +
        `(${figures.objectsPerSecond} objects/s), RSS ${figures.rssMiB} MiB, heap ${figures.heapUsedMiB} MiB`,
    );
  }
  return figures;
}
