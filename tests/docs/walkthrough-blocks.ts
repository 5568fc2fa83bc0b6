/** One command block of the walkthrough and the output the page shows for it, if any. */
export interface Step {
  title: string;
  command: string;
  output?: string;
}

const FENCE = /^```(\w*)\n([\s\S]*?)^```$/gm;

/**
 * The walkthrough's blocks: `sh` blocks are run (each with the `text` block right after it as
 * its output), `bash` blocks are only shown; the first `text` block after the `bash` block that
 * runs `npm start` is what `npm start` prints. Each step is titled by the heading above it.
 */
export function blocksOf(markdown: string): { started?: string; steps: Step[] } {
  const blocks = [...markdown.matchAll(FENCE)].map((m) => ({
    lang: m[1] ?? '',
    body: m[2] ?? '',
    start: m.index,
    end: m.index + m[0].length,
    title: headingBefore(markdown, m.index),
  }));
  const steps: Step[] = [];
  let started: string | undefined;
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    const output =
      next?.lang === 'text' && markdown.slice(block.end, next.start).trim() === '' ? next.body : undefined;
    if (block.lang === 'sh') steps.push({ title: block.title, command: block.body, output });
    if (block.lang === 'bash' && /^npm start$/m.test(block.body)) {
      started = blocks.slice(i + 1).find((b) => b.lang === 'text')?.body;
    }
  });
  return { started, steps };
}

function headingBefore(markdown: string, at: number): string {
  const headings = [...markdown.slice(0, at).matchAll(/^#+ (.*)$/gm)];
  return headings.at(-1)?.[1] ?? '';
}

/**
 * The page's output as a pattern: "…" stands for any text within a line, a line of "…" alone
 * for any lines; any 127.0.0.1 port, and `.run/` for any run folder, since the test's platform
 * has its own. Trailing spaces are not compared. `within`: the lines may be part of a longer output.
 */
export function shownOutput(shown: string, within = false): RegExp {
  const lines = shown.replace(/\n$/, '').split('\n');
  const pattern = lines
    .map((line) =>
      line.trim() === '…'
        ? '(?:[^\\n]*\\n)*?'
        : `${line
            .trimEnd()
            .split('…')
            .map((part) =>
              escape(part)
                .replace(/127\\\.0\\\.0\\\.1:\d+/g, '127\\.0\\.0\\.1:\\d+')
                .replace(/\\\.run\//g, '\\S*/'),
            )
            .join('[^\\n]*')} *\\n`,
    )
    .join('');
  return within ? new RegExp(`^${pattern}`, 'm') : new RegExp(`^${pattern}$`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
