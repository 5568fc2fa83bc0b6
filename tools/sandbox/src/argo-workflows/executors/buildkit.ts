import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildImage } from '../../registry/image-content';
import { parseImageReference, readBuildInput } from './build-context';
import { CliUsageError, parseFlags, type FlagSpec, words } from './cli-flags';
import { containerdWording, withPusher } from './image-push';
import { builderCredential } from './registry-credentials';
import { runInterpreted } from './interpreted';
import type { CommandHandler, CommandIo } from './command-io';
import type { StepResult, StepRuntime } from './step-runtime';

const BUILD_FLAGS: FlagSpec = {
  bool: ['no-cache', 'allow-insecure-entitlement'],
  value: words(
    'frontend local opt output metadata-file export-cache import-cache progress trace secret ssh allow ref-file addr tlsdir',
  ),
  short: { o: 'output' },
};

/**
 * Interprets BuildKit's client (`moby/buildkit`: `buildctl-daemonless.sh build ...` or
 * `buildctl build ...`): reads the `--local context=` / `--local dockerfile=` folders, pushes
 * each `--output type=image,name=...,push=true` through the registry's HTTP API with the
 * credentials of the docker config (`$DOCKER_CONFIG` or `$HOME/.docker`), writes the
 * `--metadata-file` JSON (`containerimage.digest`, `image.name`, ...) and prints BuildKit's plain
 * progress output.
 */
export function runBuildkit(rt: StepRuntime): Promise<StepResult> {
  const handler: CommandHandler = (argv, io) => buildctl(rt, argv.slice(1), io);
  return runInterpreted(rt, {
    'buildctl-daemonless.sh': handler,
    buildctl: handler,
  });
}

async function buildctl(rt: StepRuntime, argv: string[], io: CommandIo): Promise<number> {
  const globalAddr = argv.findIndex((a) => a === '--addr');
  const args = globalAddr >= 0 ? [...argv.slice(0, globalAddr), ...argv.slice(globalAddr + 2)] : argv;
  if (args[0] === 'debug' && args[1] === 'workers') {
    io.out('ID\t\t\t\tPLATFORMS\nsandbox0\t\t\tlinux/amd64\n');
    return 0;
  }
  if (args[0] !== 'build') {
    io.err(
      `error: unsupported buildctl command ${JSON.stringify(args[0] ?? '')} (the sandbox interprets "build")\n`,
    );
    return 1;
  }
  let flags;
  try {
    flags = parseFlags(args.slice(1), BUILD_FLAGS);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.err(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const locals = keyValues(flags.all('local'));
  const opts = keyValues(flags.all('opt'));
  const context = io.resolvePath(locals.get('context') ?? '.');
  const dockerfileDir = io.resolvePath(locals.get('dockerfile') ?? locals.get('context') ?? '.');
  const dockerfile = path.join(dockerfileDir, opts.get('filename') ?? 'Dockerfile');
  if (!existsSync(context) || !statSync(context).isDirectory() || !existsSync(dockerfile)) {
    io.err(
      `error: failed to solve: failed to read dockerfile: open ${opts.get('filename') ?? 'Dockerfile'}: no such file or directory\n`,
    );
    return 1;
  }
  const outputs = flags.all('output').map(csv);
  const input = await readBuildInput(context, dockerfile);
  let step = 1;
  const block = async (title: string, lines: string[], ms: number): Promise<void> => {
    io.err(`#${step} ${title}\n`);
    for (const line of lines) io.err(`#${step} ${line}\n`);
    await rt.ctx.clock.sleep(ms);
    io.err(`#${step} DONE ${(ms / 1000).toFixed(1)}s\n\n`);
    step += 1;
  };
  await block(
    '[internal] load build definition from Dockerfile',
    [`transferring dockerfile: ${input.dockerfileBytes}B done`],
    50,
  );
  const from = input.instructions.find((i) => i.keyword === 'FROM')?.text.split(/\s+/)[1] ?? 'scratch';
  await block(`[internal] load metadata for ${from}`, [], 200);
  await block('[internal] load .dockerignore', ['transferring context: 2B done'], 20);
  const steps = input.instructions.filter((i) => ['RUN', 'COPY', 'ADD', 'WORKDIR'].includes(i.keyword));
  await block(`[1/${steps.length + 1}] FROM ${from}`, [], 100);
  await block('[internal] load build context', [`transferring context: ${input.bytes}B done`], 50);
  for (const [i, instruction] of steps.entries()) {
    if (rt.signal.aborted) return 137;
    await block(
      `[${i + 2}/${steps.length + 1}] ${instruction.text}`,
      [],
      instruction.keyword === 'RUN' ? 300 : 100,
    );
  }
  const metadata: Record<string, unknown> = {};
  // One image per build: what the Dockerfile produced, in OCI media types (BuildKit's default).
  const image = buildImage({
    format: 'oci',
    files: { 'app/build-input.txt': input.content },
    created: new Date(),
    history: input.instructions.map((i) => i.text),
  });
  const digest = image.manifest.digest;
  for (const output of outputs) {
    const type = output.get('type') ?? 'image';
    const names = (output.get('name') ?? '').split(',').filter(Boolean);
    const push = output.get('push') === 'true' || type === 'registry';
    const lines = ['exporting layers 0.1s done'];
    for (const name of names) {
      const ref = parseImageReference(name);
      if (ref === undefined) {
        io.err(`error: failed to solve: invalid reference format: ${name}\n`);
        return 1;
      }
      lines.push(
        `exporting manifest ${digest} done`,
        `exporting config ${image.config.digest} done`,
        `naming to ${name} done`,
      );
      if (push) {
        const configDir = dockerConfigDir(io);
        const outcome = await withPusher(rt, io, configDir, ref, (pusher) => pusher.push(image, ref.tag));
        if (!outcome.ok) {
          const anonymous = builderCredentialMissing(io, configDir, ref.repository);
          io.err(
            `error: failed to solve: failed to push ${name}: ${containerdWording(outcome, anonymous)}\n`,
          );
          return 1;
        }
        lines.push('pushing layers 0.3s done', `pushing manifest for ${name}@${digest} done`);
      }
      Object.assign(metadata, {
        'containerimage.config.digest': image.config.digest,
        'containerimage.descriptor': {
          mediaType: image.manifest.mediaType,
          digest,
          size: image.manifest.bytes.length,
        },
        'containerimage.digest': digest,
        'image.name': names.join(','),
      });
    }
    await block(`exporting to ${type === 'registry' ? 'image' : type}`, lines, 400);
  }
  const metadataFile = flags.get('metadata-file');
  if (metadataFile !== undefined) {
    const file = io.resolvePath(metadataFile);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(metadata, null, 2));
  }
  return 0;
}

function keyValues(values: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq > 0) out.set(v.slice(0, eq), v.slice(eq + 1));
  }
  return out;
}

/** `type=image,"name=a,b",push=true` → key/value pairs (a quoted field may contain commas). */
function csv(text: string): Map<string, string> {
  const fields = text.match(/"[^"]*"|[^,]+/g) ?? [];
  return keyValues(fields.map((f) => f.replace(/^"|"$/g, '')));
}

/** Where buildctl reads registry credentials: `$DOCKER_CONFIG`, else `$HOME/.docker`. */
function dockerConfigDir(io: CommandIo): string {
  return io.env.get('DOCKER_CONFIG') ?? `${io.env.get('HOME') ?? '/root'}/.docker`;
}

function builderCredentialMissing(io: CommandIo, configDir: string, repository: string): boolean {
  try {
    return builderCredential(io, configDir, repository) === undefined;
  } catch {
    return true;
  }
}
