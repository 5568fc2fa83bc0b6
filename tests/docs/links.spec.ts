import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../deploy/rendered';

/** The Markdown files git tracks (so a fresh clone has exactly these), outside node_modules. */
function markdownFiles(): string[] {
  return execFileSync('git', ['ls-files', '*.md'], { cwd: REPO_ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file !== '' && !file.includes('node_modules/'));
}

/** GitHub's heading anchor: lower case, punctuation other than `-` and `_` dropped, spaces to `-`. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a file's headings, outside fenced code blocks (a `# comment` there is no heading). */
function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.+)$/.exec(line);
    if (heading?.[1] !== undefined) found.add(anchorOf(heading[1]));
  }
  return found;
}

/** Relative link targets `[text](target)` of a file, outside fenced code blocks. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^\s*```[\s\S]*?^\s*```/gm, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^[a-z]+:/i.test(target));
}

describe('links between the Markdown files', () => {
  const files = markdownFiles();

  it('finds the docs to check', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/real-cluster.md', 'deploy/README.md']));
  });

  it.each(files)('%s links only to files and headings that exist', (file) => {
    const broken: string[] = [];
    for (const target of relativeLinks(readFileSync(path.join(REPO_ROOT, file), 'utf8'))) {
      const [filePart = '', anchor] = target.split('#');
      const resolved =
        filePart === '' ? path.join(REPO_ROOT, file) : path.join(REPO_ROOT, path.dirname(file), filePart);
      if (!existsSync(resolved)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (
        anchor !== undefined &&
        statSync(resolved).isFile() &&
        !anchors(readFileSync(resolved, 'utf8')).has(anchor)
      )
        broken.push(`${target}: no such heading`);
    }
    expect(broken).toEqual([]);
  });
});
