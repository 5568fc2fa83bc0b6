import type { SandboxHello } from '../monitoring/sandbox-hello';

/** One pod of the logging app and its (only) container. */
export interface LogPod {
  pod: string;
  container: string;
}

/** The logs sandbox's hello: the app is `apps[0]`, its pods write the lines. */
export interface LogsSandboxHello extends SandboxHello {
  namespace: string;
  pods: LogPod[];
}

/** What the benchmark asks of the logs sandbox over IPC. */
export interface LogCommand {
  /** Start writing `perSecond` lines per pod. */
  write?: { perSecond: number };
  stopWriting?: boolean;
  /** Reply `{ marked }`: per pod (in `pods` order), the seq of the next line it will write. */
  mark?: boolean;
  /** Reply `{ follows }`: log follows open on the Kubernetes API now. */
  follows?: boolean;
}

/** A line as viewers get it (the monitoring service's `log` event, and the raw server's). */
export interface ViewedLine {
  pod: string;
  container: string;
  time: string;
  line: string;
}

/** `seq=<n> sentAt=<ms> ...` of a written line. */
export function parseWritten(text: string): { seq: number; sentAt: number } | undefined {
  const match = /^seq=(\d+) sentAt=(\d+)/.exec(text);
  return match === null ? undefined : { seq: Number(match[1]), sentAt: Number(match[2]) };
}
