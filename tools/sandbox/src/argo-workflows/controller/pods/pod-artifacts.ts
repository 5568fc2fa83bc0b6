import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxContext } from '../../../core/sandbox-context';
import { Kinds } from '../../../core/resource-kinds';
import type { Template } from '../../workflow-types';
import type { PodLayout } from './pod-layout';
import { decodeData } from './projected-volume';
import { PodSetupError } from './pod-setup-error';

interface KeyRef {
  name: string;
  key: string;
}

/** An input artifact as the template declares it (only the sources the sandbox can load). */
interface InputArtifact {
  name: string;
  path?: string;
  optional?: boolean;
  raw?: { data: string };
  git?: {
    repo: string;
    revision?: string;
    branch?: string;
    depth?: number;
    singleBranch?: boolean;
    usernameSecret?: KeyRef;
    passwordSecret?: KeyRef;
  };
  [source: string]: unknown;
}

/**
 * Loads a template's input artifacts into the pod's (mapped) paths before the main container
 * starts, as Argo's init container does: `git` artifacts are cloned for real (at `revision`,
 * with credentials from `usernameSecret`/`passwordSecret`), `raw` ones written. Other sources
 * (s3, http, gcs...) have no store in the sandbox: the pod fails saying so, unless the artifact is
 * optional.
 */
export async function loadInputArtifacts(
  ctx: SandboxContext,
  namespace: string,
  template: Template,
  layout: PodLayout,
): Promise<void> {
  const artifacts = (template.inputs?.artifacts ?? []) as InputArtifact[];
  for (const artifact of artifacts) {
    if (artifact.path === undefined) continue;
    const target = layout.hostPath(artifact.path);
    if (artifact.raw !== undefined) {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, artifact.raw.data);
    } else if (artifact.git !== undefined) {
      await cloneArtifact(ctx, namespace, artifact.name, artifact.git, target, layout);
    } else if (artifact.optional !== true) {
      throw new PodSetupError(
        'ArtifactLoadError',
        `failed to load artifact "${artifact.name}": the sandbox has no artifact repository; it loads only git and raw input artifacts`,
      );
    }
  }
}

async function cloneArtifact(
  ctx: SandboxContext,
  namespace: string,
  name: string,
  git: NonNullable<InputArtifact['git']>,
  target: string,
  layout: PodLayout,
): Promise<void> {
  const url = new URL(git.repo);
  if (git.usernameSecret !== undefined)
    url.username = encodeURIComponent(secretValue(ctx, namespace, git.usernameSecret));
  if (git.passwordSecret !== undefined)
    url.password = encodeURIComponent(secretValue(ctx, namespace, git.passwordSecret));
  await rm(target, { recursive: true, force: true });
  await mkdir(path.dirname(target), { recursive: true });
  const args = ['clone', '--quiet'];
  if (git.depth !== undefined && git.depth > 0) args.push('--depth', String(git.depth));
  if (git.singleBranch === true) args.push('--single-branch');
  if (git.branch !== undefined) args.push('--branch', git.branch);
  args.push(url.toString(), target);
  await git_(args, layout, name);
  if (git.revision !== undefined && git.revision !== '') {
    await git_(['-C', target, 'checkout', '--quiet', git.revision], layout, name);
  }
}

function git_(args: string[], layout: PodLayout, artifact: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      // Argo's executor loads artifacts itself (go-git): no user git configuration takes part.
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: layout.podDir,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_TERMINAL_PROMPT: '0',
      },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (error) => reject(new PodSetupError('ArtifactLoadError', error.message)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new PodSetupError(
            'ArtifactLoadError',
            `failed to load artifact "${artifact}": ${layout.mapper.toContainerText(stderr.trim())}`,
          ),
        );
    });
  });
}

function secretValue(ctx: SandboxContext, namespace: string, ref: KeyRef): string {
  const secret = ctx.store.get(Kinds.Secret, namespace, ref.name);
  const value = { ...decodeData(secret?.data, true), ...decodeData(secret?.stringData, false) }[ref.key];
  if (value === undefined) {
    throw new PodSetupError(
      'ArtifactLoadError',
      secret === undefined
        ? `secret "${ref.name}" not found`
        : `couldn't find key ${ref.key} in Secret ${namespace}/${ref.name}`,
    );
  }
  return value;
}
