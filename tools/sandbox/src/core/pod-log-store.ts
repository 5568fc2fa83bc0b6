export interface LogLine {
  time: Date;
  text: string;
}

interface ContainerLog {
  lines: LogLine[];
  followers: Set<Follower>;
  ended: boolean;
}

interface Follower {
  onLine(line: LogLine): void;
  onEnd(): void;
}

const MAX_LINES_PER_CONTAINER = 10_000;

/** What each container of each pod has printed, and live followers of it (`kubectl logs -f`). */
export class PodLogStore {
  private readonly logs = new Map<string, ContainerLog>();
  private readonly taps = new Set<(pod: string, line: LogLine) => void>();

  append(namespace: string, pod: string, container: string, text: string, time = new Date()): void {
    const log = this.entry(namespace, pod, container);
    for (const part of text.replace(/\n$/, '').split('\n')) {
      const line = { time, text: part };
      log.lines.push(line);
      for (const follower of log.followers) follower.onLine(line);
      for (const tap of this.taps) tap(`${namespace}/${pod}/${container}`, line);
    }
    if (log.lines.length > MAX_LINES_PER_CONTAINER)
      log.lines.splice(0, log.lines.length - MAX_LINES_PER_CONTAINER);
  }

  /**
   * Calls `tap` with every line any container prints from now on, even of pods deleted later: for
   * tests that audit everything the workflows printed (the secrets scan). Returns an unsubscribe.
   */
  tap(tap: (container: string, line: LogLine) => void): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  lines(namespace: string, pod: string, container: string): readonly LogLine[] {
    return this.logs.get(key(namespace, pod, container))?.lines ?? [];
  }

  hasContainer(namespace: string, pod: string, container: string): boolean {
    return this.logs.has(key(namespace, pod, container));
  }

  ended(namespace: string, pod: string, container: string): boolean {
    return this.logs.get(key(namespace, pod, container))?.ended ?? false;
  }

  /** Calls `onLine` for each new line until the container ends (then `onEnd`); returns an unsubscribe. */
  follow(
    namespace: string,
    pod: string,
    container: string,
    onLine: (l: LogLine) => void,
    onEnd: () => void,
  ): () => void {
    const log = this.entry(namespace, pod, container);
    if (log.ended) {
      onEnd();
      return () => undefined;
    }
    const follower = { onLine, onEnd };
    log.followers.add(follower);
    return () => log.followers.delete(follower);
  }

  /** The container terminated: followers reach the end of the stream. */
  end(namespace: string, pod: string, container: string): void {
    const log = this.entry(namespace, pod, container);
    log.ended = true;
    for (const follower of log.followers) follower.onEnd();
    log.followers.clear();
  }

  /** The pod is gone: end and forget all its containers. */
  deletePod(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const [k, log] of this.logs) {
      if (!k.startsWith(prefix)) continue;
      for (const follower of log.followers) follower.onEnd();
      this.logs.delete(k);
    }
  }

  clear(): void {
    for (const log of this.logs.values()) for (const follower of log.followers) follower.onEnd();
    this.logs.clear();
  }

  private entry(namespace: string, pod: string, container: string): ContainerLog {
    const k = key(namespace, pod, container);
    let log = this.logs.get(k);
    if (log === undefined) {
      log = { lines: [], followers: new Set(), ended: false };
      this.logs.set(k, log);
    }
    return log;
  }
}

function key(namespace: string, pod: string, container: string): string {
  return `${namespace}/${pod}/${container}`;
}
