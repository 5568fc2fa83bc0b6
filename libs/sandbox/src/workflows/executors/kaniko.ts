import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseImageReference, readBuildInput } from './build-context';
import { CliUsageError, parseFlags, type FlagSpec, words } from './cli-flags';
import { elapsedStamp, runInterpreted } from './interpreted';
import type { CommandHandler, CommandIo } from './command-io';
import type { StepResult, StepRuntime } from './step-runtime';

const KANIKO_FLAGS: FlagSpec = {
  bool: words(
    'no-push cache insecure insecure-pull skip-tls-verify skip-tls-verify-pull reproducible single-snapshot cleanup use-new-run skip-unused-stages compressed-caching log-timestamp force cache-copy-layers cache-run-layers',
  ),
  value: words(
    'destination context dockerfile digest-file image-name-with-digest-file image-name-tag-with-digest-file tar-path build-arg cache-repo cache-dir cache-ttl insecure-registry registry-mirror verbosity snapshot-mode label target push-retry log-format ignore-path custom-platform context-sub-path oci-layout-path',
  ),
  short: { c: 'context', d: 'destination', f: 'dockerfile', v: 'verbosity' },
};

/**
 * Interprets kaniko (`gcr.io/kaniko-project/executor`): checks the build context and Dockerfile,
 * derives the image from their content, pushes every `--destination` to the sandbox registry,
 * writes `--digest-file` (and the image-name files), and logs as kaniko does. Contexts must be
 * folders (`dir://` or a path).
 */
export function runKaniko(rt: StepRuntime): Promise<StepResult> {
  const handler: CommandHandler = (argv, io) => kaniko(rt, argv.slice(1), io);
  return runInterpreted(rt, { '/kaniko/executor': handler, executor: handler });
}

async function kaniko(rt: StepRuntime, args: string[], io: CommandIo): Promise<number> {
  const started = Date.now();
  const info = (text: string): void => io.err(`INFO[${elapsedStamp(started, rt.ctx.clock.speed)}] ${text}\n`);
  const fail = (text: string): number => {
    io.err(`Error: ${text}\n`);
    return 1;
  };
  let flags;
  try {
    flags = parseFlags(args, KANIKO_FLAGS);
  } catch (error) {
    if (error instanceof CliUsageError) return fail(error.message);
    throw error;
  }
  const destinations = flags.all('destination');
  if (destinations.length === 0 && !flags.on('no-push'))
    return fail('you must provide --destination, or use --no-push');
  const references = destinations.map((d) => ({ text: d, ref: parseImageReference(d) }));
  const bad = references.find((r) => r.ref === undefined);
  if (bad !== undefined)
    return fail(
      `error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for "${bad.text}": invalid reference format`,
    );
  const rawContext = flags.get('context') ?? '/workspace/';
  if (/^[a-z0-9]+:\/\//.test(rawContext) && !rawContext.startsWith('dir://')) {
    return fail(`the sandbox builds only folder contexts (dir://); got ${rawContext}`);
  }
  const contextPath = rawContext.replace(/^dir:\/\//, '');
  const contextSub = flags.get('context-sub-path') ?? '';
  const context = path.join(io.resolvePath(contextPath), contextSub);
  const dockerfileFlag = flags.get('dockerfile') ?? 'Dockerfile';
  const dockerfile = dockerfileFlag.startsWith('/')
    ? io.resolvePath(dockerfileFlag)
    : path.join(context, dockerfileFlag);
  if (!existsSync(context) || !statSync(context).isDirectory() || !existsSync(dockerfile)) {
    return fail(
      'error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context with --dockerfile',
    );
  }
  const input = await readBuildInput(context, dockerfile);
  const from = input.instructions.find((i) => i.keyword === 'FROM')?.text.split(/\s+/)[1] ?? 'scratch';
  info(`Retrieving image manifest ${from}`);
  info(`Retrieving image ${from} from registry index.docker.io`);
  info('Built cross stage deps: map[]');
  info(`Retrieving image manifest ${from}`);
  info('Executing 0 build triggers');
  info(`Building stage '${from}' [idx: '0', base-idx: '-1']`);
  for (const instruction of input.instructions.filter((i) => i.keyword !== 'FROM')) {
    if (rt.signal.aborted) return 137;
    info(instruction.text);
    if (instruction.keyword === 'RUN') {
      await rt.ctx.clock.sleep(300);
      info('Taking snapshot of full filesystem...');
    } else if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      await rt.ctx.clock.sleep(100);
      info('Taking snapshot of files...');
    }
  }
  if (flags.on('no-push')) {
    info('Skipping push to container registry due to --no-push flag');
    return 0;
  }
  let first: { repository: string; tag: string; digest: string } | undefined;
  for (const { ref } of references) {
    if (ref === undefined) continue;
    info(`Pushing image to ${ref.repository}:${ref.tag}`);
    await rt.ctx.clock.sleep(400);
    const pushed = rt.ctx.registry.push(ref.repository, ref.tag, input.content);
    info(`Pushed ${ref.repository}@${pushed.digest}`);
    first ??= { ...ref, digest: pushed.digest };
  }
  if (first !== undefined) {
    await writeTo(io, flags.get('digest-file'), first.digest);
    await writeTo(io, flags.get('image-name-with-digest-file'), `${first.repository}@${first.digest}`);
    await writeTo(
      io,
      flags.get('image-name-tag-with-digest-file'),
      `${first.repository}:${first.tag}@${first.digest}`,
    );
  }
  return 0;
}

async function writeTo(io: CommandIo, containerPath: string | undefined, text: string): Promise<void> {
  if (containerPath === undefined || containerPath === '') return;
  const file = io.resolvePath(containerPath);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}
