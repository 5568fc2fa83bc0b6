// @ts-check
// Live progress of one task in the terminal. On a TTY the task's block (a progress bar, each
// step with its state, the latest log line) is redrawn in place; otherwise each change is printed
// once as a plain line, so logs and CI output stay readable (no cursor movement, no colour).

/**
 * @typedef {import('@platform/domain').Task} Task
 * @typedef {{ step?: string | null, line: string }} LogLine one line of a step's log (the stream's `log` event)
 * @typedef {{ update(task: Task): void, log(line: LogLine): void, note(message: string): void }} ProgressView
 */

/** @type {Record<string, string>} */
const MARK = { Succeeded: '✔', Failed: '✘', Running: '▶', Pending: '·', Skipped: '-' };
/** @type {Record<string, number>} */
const COLOR = { Succeeded: 32, Failed: 31, Running: 36, Pending: 90, Skipped: 90 };
const BAR_WIDTH = 30;

/**
 * @param {string} title
 * @param {NodeJS.WriteStream} out
 * @returns {ProgressView}
 */
export function progressView(title, out = process.stdout) {
  return out.isTTY ? new LiveView(title, out) : new PlainView(title, out);
}

/** @param {Task['progress']} progress */
function bar({ done, total }) {
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total}`;
}

/**
 * Redraws the task's block in place on every change.
 * @implements {ProgressView}
 */
class LiveView {
  /** @param {string} title @param {NodeJS.WriteStream} out */
  constructor(title, out) {
    this.title = title;
    this.out = out;
    this.drawn = 0;
    /** @type {Task | undefined} */
    this.task = undefined;
    this.lastLog = '';
  }

  /** @param {Task} task */
  update(task) {
    this.task = task;
    this.draw();
  }

  /** @param {LogLine} line */
  log({ step, line }) {
    this.lastLog = `${step ?? '?'}: ${line}`;
    this.draw();
  }

  /** @param {string} message */
  note(message) {
    this.lastLog = message;
    this.draw();
  }

  draw() {
    const task = this.task;
    if (task === undefined) return;
    /** @param {number} code @param {string} text */
    const paint = (code, text) => `\x1b[${code}m${text}\x1b[0m`;
    const width = (this.out.columns ?? 100) - 1;
    const lines = [
      `${paint(1, this.title.padEnd(8))} ${bar(task.progress)}  ${paint(COLOR[phaseOf(task)] ?? 0, task.phase)}  ${paint(90, task.id)}`,
      ...task.steps.map(
        (s) =>
          `   ${paint(COLOR[s.phase] ?? 0, MARK[s.phase] ?? '?')} ${s.name}${s.message ? paint(90, `  ${s.message}`) : ''}`,
      ),
      paint(90, `   ${this.lastLog}`.slice(0, width)),
    ];
    // Back to the top of the previous block, clear it, draw the new one.
    const up = this.drawn > 0 ? `\x1b[${this.drawn}F\x1b[J` : '';
    this.out.write(up + lines.map((l) => `${l}\n`).join(''));
    this.drawn = lines.length;
  }
}

/**
 * Prints the progress and every step that changes state, once.
 * @implements {ProgressView}
 */
class PlainView {
  /** @param {string} title @param {NodeJS.WriteStream} out */
  constructor(title, out) {
    this.title = title;
    this.out = out;
    /** @type {Map<string, string>} */
    this.seen = new Map();
    this.lastProgress = '';
  }

  /** @param {Task} task */
  update(task) {
    for (const step of task.steps) {
      if (this.seen.get(step.name) === step.phase) continue;
      this.seen.set(step.name, step.phase);
      if (step.phase === 'Pending') continue;
      this.print(
        `${MARK[step.phase] ?? '?'} ${step.name} ${step.phase}${step.message ? `: ${step.message}` : ''}`,
      );
    }
    const progress = `${bar(task.progress)} ${task.phase}`;
    if (progress !== this.lastProgress) {
      this.lastProgress = progress;
      this.print(progress);
    }
  }

  log() {
    // Step logs would drown the plain output; the live view shows the latest line.
  }

  /** @param {string} message */
  note(message) {
    this.print(message);
  }

  /** @param {string} line */
  print(line) {
    this.out.write(`${this.title.padEnd(8)} ${line}\n`);
  }
}

/** @param {Task} task */
function phaseOf(task) {
  return task.phase === 'Cancelled' ? 'Failed' : task.phase;
}
