import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Sequence = 'user' | 'repo';

/**
 * Gitea's row ids: users and organizations share one sequence (both are users), repositories have
 * their own. Kept in a file beside the repositories so that a sandbox restarted on the same data
 * directory goes on counting. The two built-in users hold ids 1 and 2.
 */
export class GitIds {
  private readonly file: string;

  constructor(root: string) {
    this.file = path.join(root, 'sandbox-ids.json');
  }

  next(sequence: Sequence): number {
    const state = this.read();
    const id = state[sequence] + 1;
    state[sequence] = id;
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(this.file, JSON.stringify(state));
    return id;
  }

  private read(): Record<Sequence, number> {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<Sequence, number>;
    } catch {
      return { user: 2, repo: 0 };
    }
  }
}
