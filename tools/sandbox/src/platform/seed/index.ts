export { seedApps, type SeedOptions, type SeedResult } from './seed-apps';
export { seedFigures, type SeedFigures } from './seed-figures';
