import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One Dockerfile instruction, continuation lines joined. */
export interface Instruction {
  keyword: string;
  text: string;
}

/** What an image build saw: its Dockerfile and a digest source over every context file. */
export interface BuildInput {
  instructions: Instruction[];
  /** Stable text from which the registry derives the image digest. */
  content: string;
  files: number;
  bytes: number;
  dockerfileBytes: number;
}

/** Reads a build context the way a builder would: every file (but `.git`), sorted, hashed. */
export async function readBuildInput(contextDir: string, dockerfile: string): Promise<BuildInput> {
  const dockerfileText = await readFile(dockerfile, 'utf8');
  const lines: string[] = [];
  let bytes = 0;
  for (const file of await listFiles(contextDir)) {
    const data = await readFile(path.join(contextDir, file));
    bytes += data.length;
    lines.push(`${file} ${createHash('sha256').update(data).digest('hex')}`);
  }
  return {
    instructions: parseDockerfile(dockerfileText),
    content: `${dockerfileText}\n--\n${lines.join('\n')}`,
    files: lines.length,
    bytes,
    dockerfileBytes: Buffer.byteLength(dockerfileText),
  };
}

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (pending === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const full = `${pending}${line.trim()}`.trim();
    pending = '';
    const keyword = (full.split(/\s+/)[0] ?? '').toUpperCase();
    out.push({ keyword, text: `${keyword}${full.slice(keyword.length)}` });
  }
  return out;
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, prefix), { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === '.git') continue;
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFiles(root, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** `registry/team/app:tag` → repository and tag (`latest` when none); undefined when malformed. */
export function parseImageReference(reference: string): { repository: string; tag: string } | undefined {
  if (reference.includes('@') || reference.trim() === '' || /\s/.test(reference)) return undefined;
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  const repository = colon > slash ? reference.slice(0, colon) : reference;
  const tag = colon > slash ? reference.slice(colon + 1) : 'latest';
  if (!/^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/.test(repository))
    return undefined;
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return undefined;
  return { repository, tag };
}
