import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runChaos } from './chaos';
import { missedTargets, printFigures } from './figures';

const USAGE = `npm run chaos [-- options]: the chaos soak (README, "Chaos soak")

  --seconds <n>   how long the load and the faults last (default 600; CHAOS_SECONDS)
  --ci            the CI run: 60 s
  --json <file>   also write the figures as JSON to <file>
Exit code 1 when a target is missed.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string' },
      ci: { type: 'boolean' },
      json: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    console.log(USAGE);
    return 0;
  }
  const seconds = Number(values.ci === true ? 60 : (values.seconds ?? process.env.CHAOS_SECONDS ?? 600));
  if (!Number.isInteger(seconds) || seconds < 20)
    throw new Error('--seconds must be a whole number of at least 20');
  console.log(
    `node ${process.version}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  );
  const figures = await runChaos({
    seconds,
    teams: ['alpha', 'beta', 'gamma'],
    seededApps: 200,
    settleSeconds: 5,
  });
  printFigures(figures);
  if (values.json !== undefined) {
    // npm runs the script in bench/: a relative path means where `npm run chaos` was typed.
    const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), values.json);
    writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  }
  const missed = missedTargets(figures);
  console.log(missed.length === 0 ? '\nevery target met' : `\ntargets missed: ${missed.join('; ')}`);
  // The services' logs are kept for a run that missed a target, to see why.
  if (missed.length === 0) rmSync(figures.logDir, { recursive: true, force: true });
  else console.log(`the services' logs: ${figures.logDir}`);
  return missed.length === 0 ? 0 : 1;
}

// Exit when done: a stream client's socket must not keep the process alive.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
