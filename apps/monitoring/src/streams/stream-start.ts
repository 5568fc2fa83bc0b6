import { parseReplayPosition, type ReplayPosition } from '@platform/service-runtime';
import { parseCursor, topicTag } from './multiplex-cursor';

/**
 * Where a client's topics start, read from its cursor (Last-Event-ID, or the long-poll form's
 * `cursor`): a single-topic stream's cursor is the topic's own position, a multiplexed one holds
 * every topic's. A topic without a usable position starts from a snapshot.
 */
export class StreamStart {
  /** Every topic from a snapshot: one for all the clients that come without a usable cursor. */
  private static readonly fromSnapshots = new StreamStart(new Map());

  private constructor(private readonly positions: ReadonlyMap<string, ReplayPosition>) {}

  static of(cursor: string | undefined, refs: readonly string[], multiplexed: boolean): StreamStart {
    if (multiplexed) {
      const byTag = parseCursor(cursor);
      const positions = new Map<string, ReplayPosition>();
      for (const ref of refs) {
        const position = byTag.get(topicTag(ref));
        if (position !== undefined) positions.set(ref, position);
      }
      return positions.size === 0 ? StreamStart.fromSnapshots : new StreamStart(positions);
    }
    const position = cursor === undefined ? undefined : parseReplayPosition(cursor);
    return position === undefined
      ? StreamStart.fromSnapshots
      : new StreamStart(new Map(refs.map((ref) => [ref, position])));
  }

  positionOf(ref: string): ReplayPosition | undefined {
    return this.positions.get(ref);
  }

  /** Whether the client has seen the last event of `ref`: nothing will follow it. */
  hasEnded(ref: string): boolean {
    return this.positions.get(ref)?.end === true;
  }

  /** Whether every topic of `refs` has ended for this client: answer 204, nothing will follow. */
  allEnded(refs: readonly string[]): boolean {
    return refs.length > 0 && refs.every((ref) => this.hasEnded(ref));
  }
}
