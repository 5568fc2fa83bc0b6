/**
 * What the sandbox knows about one container image: enough to run a step the way that image
 * would run it (its shell, the programs on its PATH, its user, its environment, the folders it
 * ships) and the evidence each fact was read from. See image-manifest.ts for the images.
 */
export interface ImageFacts {
  /** The repository as {@link imageRepository} normalizes it (`alpine/git`, `argoproj/argocd`). */
  repository: string;
  /** Tags this entry describes (a test on the tag); undefined: any tag. */
  tags?: RegExp;
  /** Which Dockerfile, docs or source each fact below comes from. */
  evidence: string[];
  /** Who runs the programs the sandbox cannot run for real (see ImageExecutor). */
  executor: ImageExecutor;
  /** The shell at /bin/sh: busybox ash (Alpine, BusyBox), dash (Debian, Ubuntu), or none. */
  shell: 'busybox' | 'dash' | 'none';
  /** The image config's USER as written: '' (root), `999`, `1000:1000` or a name (`curl_user`). */
  user: string;
  /** The image's /etc/passwd entries that matter (root and its own users). */
  passwd: PasswdEntry[];
  /** Extra group memberships from the image's /etc/group (user name → gids). */
  groups?: Record<string, number[]>;
  /** The image config's Env, PATH included. */
  env: Record<string, string>;
  /** The image config's WorkingDir ('' means `/`). */
  workingDir: string;
  /** The image config's Entrypoint and Cmd (what Argo would have to look up without `command`). */
  entrypoint: string[];
  cmd: string[];
  /** Folders of the image the steps may write to, with their owner and mode. */
  directories: ImageDirectory[];
  /** True when /bin, /sbin and /lib are symlinks into /usr (Debian 12, Ubuntu). */
  mergedUsr: boolean;
  /** Programs the image ships, by container path (read from this machine when first needed). */
  programs: () => ProgramList;
}

/**
 * - `process`: every program runs as a real process on this machine.
 * - `kaniko`, `buildkit`, `argocd`: the same, except the named image programs (kaniko's executor,
 *   buildctl, the argocd CLI), which the sandbox interprets against its registry and Argo CD.
 */
export type ImageExecutor = 'process' | 'kaniko' | 'buildkit' | 'argocd';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export interface ImageDirectory {
  path: string;
  uid: number;
  gid: number;
  mode: number;
}

/** Where a program of the image comes from on this machine. */
export type ProgramSource =
  /** A binary of this machine (git, curl, node, dash...), found by name. */
  | { kind: 'host'; name: string }
  /** An applet of this machine's busybox (Debian's `busybox` package). */
  | { kind: 'busybox'; applet: string }
  /** A program the sandbox interprets (argocd, kaniko's executor, buildctl). */
  | { kind: 'emulated'; name: string };

/** Container path → where the program comes from. */
export type ProgramList = ReadonlyMap<string, ProgramSource>;
