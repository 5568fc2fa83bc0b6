import os from 'node:os';
import { httpAdapterBench } from './http-adapter/http-adapter.bench';
import { monitoringFanoutBench } from './monitoring/monitoring-fanout.bench';
import { monitoringLogsBench } from './monitoring-logs/monitoring-logs.bench';
import { sandboxSeedBench } from './sandbox/sandbox-seed.bench';
import { summaryBench } from './summary/summary.bench';
import { taskSubmitBench } from './task/task-submit.bench';

/** `npm run bench [-- name...]`: runs every benchmark, or the named ones, printing their figures. */
const benches: Record<string, () => Promise<void>> = {
  'http-adapter': httpAdapterBench,
  'monitoring-fanout': monitoringFanoutBench,
  'monitoring-logs': monitoringLogsBench,
  'sandbox-seed': sandboxSeedBench,
  'task-submit': taskSubmitBench,
  summary: summaryBench,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(benches);
  console.log(
    `node ${process.version}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  );
  for (const name of names) {
    const bench = benches[name];
    if (bench === undefined)
      throw new Error(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(', ')}`);
    await bench();
  }
}

// Exit when done: each benchmark stops its child processes itself, but a load client's leftover
// socket or timer (the fan-out benchmark leaves one) must not keep `npm run bench` waiting forever.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
