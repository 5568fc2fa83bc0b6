import { InvalidRequestError } from '@platform/errors';
import { APP_NAME } from '../access/app-param';

export const TOPIC_KINDS = ['status', 'events', 'logs', 'task'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

export interface TopicRef {
  ref: string;
  kind: TopicKind;
  name: string;
  /** An app topic's environment (`status:shop@prod`); its first environment when absent. */
  environment?: string;
}

export const MAX_TOPICS = 20;
const TASK_ID = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * Parses `topics=status:shop,logs:shop@prod,task:ci-shop-x`, naming every bad entry at once. An
 * app topic may name the environment after "@".
 */
export function parseTopics(value: unknown): TopicRef[] {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidRequestError(
      'INVALID_TOPICS',
      `topics is required: a comma-separated list of <kind>:<name>, kind one of ${TOPIC_KINDS.join(', ')} (e.g. topics=status:shop,logs:shop)`,
    );
  }
  const refs = value.split(',').map((t) => t.trim());
  const problems: string[] = [];
  if (refs.length > MAX_TOPICS) problems.push(`at most ${MAX_TOPICS} topics per stream (got ${refs.length})`);
  const seen = new Set<string>();
  const topics: TopicRef[] = [];
  for (const ref of refs) {
    const colon = ref.indexOf(':');
    const kind = TOPIC_KINDS.find((k) => k === ref.slice(0, colon));
    const target = ref.slice(colon + 1);
    const at = kind === 'task' ? -1 : target.indexOf('@');
    const name = at < 0 ? target : target.slice(0, at);
    const environment = at < 0 ? undefined : target.slice(at + 1);
    if (colon < 0 || kind === undefined) {
      problems.push(`"${ref}": expected <kind>:<name> with kind one of ${TOPIC_KINDS.join(', ')}`);
    } else if (!(kind === 'task' ? TASK_ID : APP_NAME).test(name)) {
      problems.push(
        `"${ref}": ${kind === 'task' ? 'a task id (a workflow name)' : 'an app name (a DNS-1123 label)'} expected after "${kind}:"`,
      );
    } else if (environment !== undefined && !APP_NAME.test(environment)) {
      problems.push(`"${ref}": an environment name (a DNS-1123 label) expected after "@"`);
    } else if (seen.has(ref)) {
      problems.push(`"${ref}" is listed twice`);
    } else {
      seen.add(ref);
      topics.push({ ref, kind, name, ...(environment === undefined ? {} : { environment }) });
    }
  }
  if (problems.length > 0) {
    throw new InvalidRequestError('INVALID_TOPICS', `bad topics: ${problems.join('; ')}`, { problems });
  }
  return topics;
}
