export { seedApps, SEED_TEMPLATES, type SeedOptions, type SeedResult } from './seed-apps';
export { seedFigures, type SeedFigures } from './seed-figures';
