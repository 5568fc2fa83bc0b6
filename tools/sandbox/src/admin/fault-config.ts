import type { FaultConfig } from '../core/faults';
import { FieldChecker, objectBody } from './admin-errors';

const FIELDS = [
  'errorRate',
  'errorCode',
  'latencyMs',
  'dropStreamsEverySec',
  'force410',
  'silentStreams',
  'dropWatchEvents',
] as const;

/** Validates a `PUT /admin/faults/{upstream}` body into a FaultConfig (400 listing every bad field). */
export function parseFaultConfig(body: unknown): FaultConfig {
  const check = new FieldChecker(objectBody(body), FIELDS);
  const config: FaultConfig = {
    errorRate: check.number('errorRate', 0, 1),
    errorCode: check.number('errorCode', 400, 599, { integer: true }),
    latencyMs: check.number('latencyMs', 0, 600_000),
    dropStreamsEverySec: check.number('dropStreamsEverySec', 0, 86_400),
    force410: check.boolean('force410'),
    silentStreams: check.boolean('silentStreams'),
    dropWatchEvents: check.boolean('dropWatchEvents'),
  };
  check.done();
  for (const key of FIELDS) if (config[key] === undefined) delete config[key];
  return config;
}
