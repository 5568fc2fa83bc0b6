import { compareLogTimes } from './pod-log-line';

/** Texts remembered for the newest instant; more lines than this in one instant are not told apart. */
const MAX_REMEMBERED = 1000;

/**
 * Where a container's log was left: the time of the last line delivered and the texts delivered
 * at that very time. A follow restarted with `sinceTime` repeats the lines of that instant (all of
 * them, also those a `tailLines` cut had left out, and on servers that truncate sinceTime to
 * seconds earlier ones of that second too). `filter()` drops what comes before that instant and,
 * within it, everything up to the run of texts already delivered; a new line stamped the same
 * instant still gets through.
 */
export class LogResumePoint {
  private last = '';
  private atLast: string[] = [];

  /** The time to pass as sinceTime; '' when no stamped line was delivered yet. */
  get time(): string {
    return this.last;
  }

  /** Notes a delivered line. */
  record(time: string, text: string): void {
    if (time === '') return;
    if (this.last === '' || compareLogTimes(time, this.last) !== 0) {
      this.last = time;
      this.atLast = [];
    }
    this.atLast.push(text);
    if (this.atLast.length > MAX_REMEMBERED) this.atLast.shift();
  }

  /** A filter for one new follow from this point: false for lines already delivered. */
  filter(): (time: string, text: string) => boolean {
    const from = this.last;
    const delivered = [...this.atLast];
    const window: string[] = [];
    let caughtUp = from === '';
    return (time, text) => {
      if (caughtUp || time === '') return true;
      const order = compareLogTimes(time, from);
      if (order < 0) return false;
      if (order > 0) {
        caughtUp = true;
        return true;
      }
      window.push(text);
      if (window.length > delivered.length) window.shift();
      caughtUp = window.length === delivered.length && window.every((t, i) => t === delivered[i]);
      return false;
    };
  }
}
