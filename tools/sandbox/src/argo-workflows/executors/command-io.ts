/** What an interpreted program gets: its environment, its folder and where its output goes. */
export interface CommandIo {
  env: ReadonlyMap<string, string>;
  /** Current directory as a container path. */
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Host path of a container path (relative ones resolve against cwd). */
  resolvePath: (p: string) => string;
  signal: AbortSignal;
}

/** A program the sandbox interprets (argocd, kaniko's executor, buildctl): argv in, exit status out. */
export type CommandHandler = (argv: string[], io: CommandIo) => Promise<number>;
