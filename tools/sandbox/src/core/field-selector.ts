import type { KubeObject } from './kube-object';
import { StoreError } from './store-errors';

interface FieldRequirement {
  path: string[];
  value: string;
  negate: boolean;
}

/**
 * A Kubernetes field selector (`metadata.name=x,involvedObject.kind=Pod,status.phase!=Running`).
 * The real server allows only a few fields per kind; the sandbox accepts any dotted path so that one
 * implementation serves every kind, and each API front-end restricts what it documents.
 */
export class FieldSelector {
  private constructor(private readonly requirements: FieldRequirement[]) {}

  static readonly everything = new FieldSelector([]);

  static parse(text: string | undefined): FieldSelector {
    if (text === undefined || text.trim() === '') return FieldSelector.everything;
    return new FieldSelector(
      text.split(',').map((part) => {
        const m = /^\s*([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
        if (!m) throw new StoreError('BadRequest', `invalid field selector: ${JSON.stringify(part)}`);
        return { path: (m[1] ?? '').split('.'), value: m[3] ?? '', negate: m[2] === '!=' };
      }),
    );
  }

  /** The value required for `path` by an equality requirement, if any (used to narrow lookups). */
  equalityValue(path: string): string | undefined {
    return this.requirements.find((r) => !r.negate && r.path.join('.') === path)?.value;
  }

  matches(object: KubeObject): boolean {
    return this.requirements.every((r) => {
      let node: unknown = object;
      for (const segment of r.path) node = (node as Record<string, unknown> | undefined)?.[segment];
      const actual =
        typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean' ? String(node) : '';
      return r.negate ? actual !== r.value : actual === r.value;
    });
  }
}
