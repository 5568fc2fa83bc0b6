import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildImage } from '../../registry/image-content';
import { parseImageReference, readBuildInput, type BuildInput } from './build-context';
import { CliUsageError, parseFlags, type FlagSpec, words } from './cli-flags';
import { withPusher, type PushTarget } from './image-push';
import { elapsedStamp, runInterpreted } from './interpreted';
import { KanikoStage } from './kaniko-run';
import type { CommandHandler, CommandIo } from './command-io';
import type { StepResult, StepRuntime } from './step-runtime';

const KANIKO_FLAGS: FlagSpec = {
  bool: words(
    'no-push cache insecure insecure-pull skip-tls-verify skip-tls-verify-pull reproducible single-snapshot cleanup use-new-run skip-unused-stages compressed-caching log-timestamp force cache-copy-layers cache-run-layers skip-push-permission-check',
  ),
  value: words(
    'destination context dockerfile digest-file image-name-with-digest-file image-name-tag-with-digest-file tar-path build-arg cache-repo cache-dir cache-ttl insecure-registry registry-mirror verbosity snapshot-mode label target push-retry log-format ignore-path custom-platform context-sub-path oci-layout-path',
  ),
  short: { c: 'context', d: 'destination', f: 'dockerfile', v: 'verbosity' },
};

/** Where the kaniko image reads registry credentials: `$DOCKER_CONFIG`, set to this in the image. */
const KANIKO_DOCKER_CONFIG = '/kaniko/.docker/';

/**
 * Interprets kaniko (`gcr.io/kaniko-project/executor`) as its `cmd/executor/cmd/root.go` runs:
 * first checks it may push to every `--destination` (with the credentials of
 * `$DOCKER_CONFIG/config.json`, through the registry's token auth), then builds an image from the
 * context and Dockerfile, writes `--digest-file` (and the image-name files), and pushes it through
 * the registry's HTTP API, logging as kaniko does. Contexts must be folders (`dir://` or a path).
 */
export function runKaniko(rt: StepRuntime): Promise<StepResult> {
  const handler: CommandHandler = (argv, io) => kaniko(rt, argv.slice(1), io);
  return runInterpreted(rt, { '/kaniko/executor': handler, executor: handler });
}

async function kaniko(rt: StepRuntime, args: string[], io: CommandIo): Promise<number> {
  const started = Date.now();
  const info = (text: string): void => io.err(`INFO[${elapsedStamp(started, rt.ctx.clock.speed)}] ${text}\n`);
  const usage = (text: string): number => {
    io.err(`Error: ${text}\n`);
    return 1;
  };
  // kaniko's exit(): the wrapped error on stderr, nothing else.
  const exit = (text: string): number => {
    io.err(`${text}\n`);
    return 1;
  };
  let flags;
  try {
    flags = parseFlags(args, KANIKO_FLAGS);
  } catch (error) {
    if (error instanceof CliUsageError) return usage(error.message);
    throw error;
  }
  const destinations = flags.all('destination');
  if (destinations.length === 0 && !flags.on('no-push'))
    return usage('you must provide --destination, or use --no-push');
  const targets: Array<PushTarget & { text: string }> = [];
  for (const text of destinations) {
    const ref = parseImageReference(text);
    if (ref === undefined)
      return exit(
        `error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: getting tag for destination: could not parse reference: ${text}`,
      );
    targets.push({ ...ref, text: `${ref.repository}:${ref.tag}` });
  }
  const rawContext = flags.get('context') ?? '/workspace/';
  if (/^[a-z0-9]+:\/\//.test(rawContext) && !rawContext.startsWith('dir://')) {
    return usage(`the sandbox builds only folder contexts (dir://); got ${rawContext}`);
  }
  const contextPath = rawContext.replace(/^dir:\/\//, '');
  const contextSub = flags.get('context-sub-path') ?? '';
  const context = path.join(io.resolvePath(contextPath), contextSub);
  const dockerfileFlag = flags.get('dockerfile') ?? 'Dockerfile';
  const dockerfile = dockerfileFlag.startsWith('/')
    ? io.resolvePath(dockerfileFlag)
    : path.join(context, dockerfileFlag);
  if (!existsSync(context) || !statSync(context).isDirectory() || !existsSync(dockerfile)) {
    return usage(
      'error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context with --dockerfile',
    );
  }
  // The flags and paths are checked (cobra's PersistentPreRunE) before the push permission (Run).
  const configDir = io.env.get('DOCKER_CONFIG') ?? KANIKO_DOCKER_CONFIG;
  if (!flags.on('no-push') && !flags.on('skip-push-permission-check')) {
    const checked = new Set<string>();
    for (const target of targets) {
      if (checked.has(target.repository)) continue;
      const outcome = await withPusher(rt, io, configDir, target, (pusher) => pusher.checkPushPermission());
      if (!outcome.ok) {
        const why =
          outcome.stage === 'transport'
            ? `creating push check transport for ${target.repository.split('/')[0] ?? ''} failed: ${outcome.message}`
            : outcome.message;
        return exit(
          `error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for "${target.text}": ${why}`,
        );
      }
      checked.add(target.repository);
    }
  }
  const input = await readBuildInput(context, dockerfile);
  const failed = await build(rt, io, input, context, info);
  if (failed !== undefined) return failed;
  if (flags.on('no-push')) {
    info('Skipping push to container registry due to --no-push flag');
    return 0;
  }
  const image = buildImage({
    format: 'docker',
    files: { 'app/build-input.txt': input.content },
    labels: labelsOf(flags.all('label')),
    // kaniko stamps the build time unless --reproducible.
    created: flags.on('reproducible') ? new Date(0) : new Date(),
    history: input.instructions.map((i) => i.text),
  });
  const digest = image.manifest.digest;
  // DoPush writes the digest files before it pushes.
  await writeTo(io, flags.get('digest-file'), digest);
  const named = (withTag: boolean): string =>
    targets.map((t) => `${t.repository}${withTag ? `:${t.tag}` : ''}@${digest}\n`).join('');
  await writeTo(io, flags.get('image-name-with-digest-file'), named(false));
  await writeTo(io, flags.get('image-name-tag-with-digest-file'), named(true));
  for (const target of targets) {
    info(`Pushing image to ${target.text}`);
    await rt.ctx.clock.sleep(400);
    const outcome = await withPusher(rt, io, configDir, target, (pusher) => pusher.push(image, target.tag));
    if (!outcome.ok) {
      return exit(`error pushing image: failed to push to destination ${target.text}: ${outcome.message}`);
    }
    info(`Pushed ${target.repository}@${digest}`);
  }
  return 0;
}

/**
 * Builds the stages as kaniko does, logging as it logs and taking simulated time per
 * instruction. A RUN in a stage whose base image the sandbox knows is executed (kaniko-run.ts);
 * its failure fails the build with kaniko's message. Returns kaniko's exit status on failure
 * (137 when aborted), undefined when the build went through.
 */
async function build(
  rt: StepRuntime,
  io: CommandIo,
  input: BuildInput,
  context: string,
  info: (text: string) => void,
): Promise<number | undefined> {
  const from = input.instructions.find((i) => i.keyword === 'FROM')?.text.split(/\s+/)[1] ?? 'scratch';
  info(`Retrieving image manifest ${from}`);
  info(`Retrieving image ${from} from registry index.docker.io`);
  info('Built cross stage deps: map[]');
  info(`Retrieving image manifest ${from}`);
  info('Executing 0 build triggers');
  const stages = new Map<string, KanikoStage | undefined>();
  let stage: KanikoStage | undefined;
  let index = -1;
  let workdir = '/';
  for (const instruction of input.instructions) {
    if (rt.signal.aborted) return 137;
    const words = instruction.text.split(/\s+/).slice(1);
    if (instruction.keyword === 'FROM') {
      const base = words[0] ?? 'scratch';
      index += 1;
      workdir = '/';
      stage = stages.has(base) ? stages.get(base) : await KanikoStage.open(rt, index, base);
      stages.set(String(index), stage);
      if (words[1]?.toUpperCase() === 'AS' && words[2] !== undefined) stages.set(words[2], stage);
      info(`Building stage '${base}' [idx: '${index}', base-idx: '-1']`);
      continue;
    }
    info(instruction.text);
    if (instruction.keyword === 'WORKDIR') {
      const dir = words.join(' ');
      workdir = dir.startsWith('/') ? dir : path.posix.join(workdir, dir);
    } else if (instruction.keyword === 'RUN') {
      const failed =
        stage === undefined ? undefined : await run(rt, io, stage, instruction.text, workdir, info);
      if (failed !== undefined) return failed;
      await rt.ctx.clock.sleep(300);
      info('Taking snapshot of full filesystem...');
    } else if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      if (stage !== undefined) await copy(stage, stages, words, context, workdir);
      await rt.ctx.clock.sleep(100);
      info('Taking snapshot of files...');
    }
  }
  return undefined;
}

/** COPY/ADD into the stage: from the context, or `--from=<stage>`; other flags are ignored. */
async function copy(
  stage: KanikoStage,
  stages: Map<string, KanikoStage | undefined>,
  words: string[],
  context: string,
  workdir: string,
): Promise<void> {
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  const dest = paths.pop();
  if (dest === undefined || paths.length === 0 || paths.some((p) => /[*?[]|^[a-z]+:\/\//.test(p))) return;
  const fromName = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  if (fromName !== undefined) {
    const other = stages.get(fromName);
    if (other !== undefined) await stage.copy((p) => other.hostPath(p), paths, dest, workdir);
    return;
  }
  await stage.copy((p) => path.join(context, path.posix.normalize(`/${p}`)), paths, dest, workdir);
}

/** One RUN (shell form) as kaniko's RunCommand logs and runs it; kaniko's exit status when it failed. */
async function run(
  rt: StepRuntime,
  io: CommandIo,
  stage: KanikoStage,
  text: string,
  workdir: string,
  info: (text: string) => void,
): Promise<number | undefined> {
  const command = text.slice('RUN'.length).trim();
  // The exec form (RUN ["prog", "arg"]) is not executed by the sandbox.
  if (command.startsWith('[')) return undefined;
  info('cmd: /bin/sh');
  info(`args: [-c ${command}]`);
  info(`Running: [/bin/sh -c ${command}]`);
  const exitCode = await stage.run(io, command, workdir);
  if (exitCode === 0) return undefined;
  if (rt.signal.aborted) return 137;
  io.err(
    `error building image: error building stage: failed to execute command: waiting for process to exit: exit status ${exitCode}\n`,
  );
  return 1;
}

/** `--label key=value` flags, as kaniko puts them into the image config. */
function labelsOf(flags: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq > 0) labels[flag.slice(0, eq)] = flag.slice(eq + 1);
  }
  return labels;
}

async function writeTo(io: CommandIo, containerPath: string | undefined, text: string): Promise<void> {
  if (containerPath === undefined || containerPath === '') return;
  const file = io.resolvePath(containerPath);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}
