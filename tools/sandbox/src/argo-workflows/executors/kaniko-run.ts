import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { imageFacts } from './images/image-manifest';
import type { ImageFacts } from './images/image-facts';
import { buildContainerRoot, type ContainerRoot } from '../controller/pods/container-root';
import { PathMapper, type Mount } from '../controller/pods/path-mapper';
import { bridgeProgram } from './command-bridge';
import type { CommandIo } from './command-io';
import { LineSplitter } from './line-splitter';
import type { StepRuntime } from './step-runtime';

/**
 * One stage of a Dockerfile as kaniko builds it, for a base image of the sandbox's image manifest:
 * kaniko unpacks the base image over its own `/` (pkg/executor/build.go), COPY and ADD write the
 * context's files into it, and RUN executes `/bin/sh -c <command>` there as root, in kaniko's own
 * container (pkg/commands/run.go). What kaniko keeps out of the image (its ignore list: /kaniko,
 * /var/run and every mount point) is still there for the command to read: the workspace, the
 * registry credential in /kaniko/.docker, any service account token. So the stage's filesystem is
 * the base image's folders and programs (container-root.ts) under the kaniko container's mounts.
 * Stages of other base images are not built: their COPY and RUN are logged only.
 */
export class KanikoStage {
  private constructor(
    private readonly rt: StepRuntime,
    private readonly facts: ImageFacts,
    private readonly root: ContainerRoot,
    private readonly mapper: PathMapper,
  ) {}

  /** The stage's filesystem, or undefined for a base image the sandbox does not know. */
  static async open(rt: StepRuntime, index: number, baseImage: string): Promise<KanikoStage | undefined> {
    const facts = imageFacts(baseImage);
    if (facts === undefined || facts.shell === 'none') return undefined;
    const stageDir = path.join(rt.layout.podDir, `kaniko-stage-${index}`);
    await mkdir(stageDir, { recursive: true });
    const root = await buildContainerRoot(stageDir, facts, (name) => bridgeProgram(name, rt.bridgeAddress));
    // kaniko's own mounts win over the base image's folders of the same path.
    const kept: Mount[] = [...rt.layout.mapper.mounted];
    for (const folder of facts.directories) {
      if (!kept.some((m) => m.containerPath === folder.path))
        kept.push({ containerPath: folder.path, hostPath: root.hostPath(folder.path) });
    }
    return new KanikoStage(
      rt,
      facts,
      root,
      new PathMapper(kept, [{ containerPath: '/', hostPath: root.dir }]),
    );
  }

  /** The host path of a path of the stage's filesystem. */
  hostPath(containerPath: string): string {
    return this.mapper.covers(containerPath)
      ? this.mapper.toHost(containerPath)
      : this.root.hostPath(containerPath);
  }

  /**
   * COPY/ADD `sources` (paths in `from`: the context folder, or another stage) to `dest` (relative
   * to `workdir`): a folder's contents are copied, several sources or a dest ending in `/` make
   * dest a folder. Globs and remote ADD sources are not expanded.
   */
  async copy(from: (p: string) => string, sources: string[], dest: string, workdir: string): Promise<void> {
    const target = dest.startsWith('/') ? dest : path.posix.join(workdir, dest);
    const intoFolder = sources.length > 1 || dest.endsWith('/') || dest === '.';
    for (const source of sources) {
      const host = from(source);
      const folder = existsSync(host) && statSync(host).isDirectory();
      const to =
        folder || !intoFolder
          ? this.hostPath(target)
          : path.join(this.hostPath(target), path.basename(source));
      await mkdir(folder ? to : path.dirname(to), { recursive: true });
      await cp(host, to, { recursive: true, force: true });
    }
  }

  /** RUN (shell form) as root in `workdir`, output into kaniko's log; its exit status. */
  async run(io: CommandIo, command: string, workdir: string): Promise<number> {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries({
      HOME: '/root',
      ...this.facts.env,
      HOSTNAME: this.rt.podName,
    })) {
      env[key] =
        key === 'PATH'
          ? value
              .split(':')
              .map((p) => this.hostPath(p))
              .join(':')
          : this.mapper.rewrite(value);
    }
    const cwd = this.hostPath(workdir === '' ? '/' : workdir);
    await mkdir(cwd, { recursive: true });
    const shell = this.hostPath('/bin/sh');
    return spawnShell(io, shell, ['-c', this.mapper.rewrite(command)], { cwd, env }, this.mapper);
  }
}

function spawnShell(
  io: CommandIo,
  shell: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  mapper: PathMapper,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(shell, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = new LineSplitter((line) => io.out(`${mapper.toContainerText(line)}\n`));
    const err = new LineSplitter((line) => io.err(`${mapper.toContainerText(line)}\n`));
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const kill = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    if (io.signal.aborted) kill();
    else io.signal.addEventListener('abort', kill, { once: true });
    child.on('error', () => {
      io.signal.removeEventListener('abort', kill);
      resolve(127);
    });
    child.on('close', (code) => {
      io.signal.removeEventListener('abort', kill);
      out.end();
      err.end();
      resolve(code ?? 137);
    });
  });
}
