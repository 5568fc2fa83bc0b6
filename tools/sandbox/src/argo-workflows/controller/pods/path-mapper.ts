import path from 'node:path';

/** One container path backed by a host folder. */
export interface Mount {
  containerPath: string;
  hostPath: string;
}

// A mount path only counts as a path where one could start or end: not inside a URL or a longer name.
const BEFORE = `(^|[\\s'"=:(,;|&<>\`\\[])`;
const AFTER = `(?=$|[/\\s'"):;,|&<>\`\\]}])`;

/**
 * The sandbox's one deliberate deviation from a cluster: steps run on this machine, not in a
 * container, so the absolute paths a template uses (its volume mounts, `/tmp`, `/workspace`, its
 * working directory) are mapped to folders under the workflow's work directory. Paths are
 * rewritten in the script text, the command and args, env values and output paths before the
 * step runs; everything else (`/bin/sh`, `/usr/bin/git`) is the host's.
 */
export class PathMapper {
  private readonly mounts: Mount[];
  private readonly pattern: RegExp | undefined;
  private readonly reverse: Mount[];

  /**
   * @param mounts container paths and the host folders behind them.
   * @param hostOnly host paths that only appear in output (the pod's root folder, HOME, the
   *   script file) and read as these container paths in logs and messages.
   */
  constructor(mounts: Mount[], hostOnly: Mount[] = []) {
    this.reverse = [...mounts, ...hostOnly].sort((a, b) => b.hostPath.length - a.hostPath.length);
    this.mounts = [...mounts]
      .map((m) => ({ containerPath: normalize(m.containerPath), hostPath: m.hostPath }))
      .filter((m) => m.containerPath !== '/')
      .sort((a, b) => b.containerPath.length - a.containerPath.length);
    const alternatives = this.mounts.map((m) => m.containerPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.pattern =
      alternatives.length === 0 ? undefined : new RegExp(`${BEFORE}(${alternatives.join('|')})${AFTER}`, 'g');
  }

  /** The mapped folders, longest container path first. */
  get mounted(): readonly Mount[] {
    return this.mounts;
  }

  /** The host path of an absolute container path (relative paths and unmapped paths are returned as they are). */
  toHost(containerPath: string): string {
    if (!containerPath.startsWith('/')) return containerPath;
    const clean = normalize(containerPath);
    for (const m of this.mounts) {
      if (clean === m.containerPath) return m.hostPath;
      if (clean.startsWith(`${m.containerPath}/`))
        return path.join(m.hostPath, clean.slice(m.containerPath.length + 1));
    }
    return containerPath;
  }

  /** True when the container path lies under a mapped folder. */
  covers(containerPath: string): boolean {
    return this.toHost(containerPath) !== containerPath;
  }

  /** Rewrites every mapped path prefix in a piece of text (a script, an argument, an env value). */
  rewrite(text: string): string {
    if (this.pattern === undefined) return text;
    return text.replace(this.pattern, (_whole, before: string, mounted: string) => {
      const host = this.mounts.find((m) => m.containerPath === mounted)?.hostPath ?? mounted;
      return `${before}${host}`;
    });
  }

  /**
   * Rewrites host paths in a line of output back to container paths, so logs and termination
   * messages read as they would from a container (`cat: /work/ready: No such file...`).
   */
  toContainerText(text: string): string {
    let out = text;
    for (const m of this.reverse) {
      if (!out.includes(m.hostPath)) continue;
      const prefix = m.containerPath === '/' ? '' : m.containerPath;
      out = out.split(`${m.hostPath}/`).join(`${prefix}/`).split(m.hostPath).join(m.containerPath);
    }
    return out;
  }
}

function normalize(p: string): string {
  const n = path.posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}
