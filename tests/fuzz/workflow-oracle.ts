import { appNameProblem, gitRefProblem, IMAGE_TAG, DNS_1123_LABEL } from '@platform/domain';
import type { KubeObject } from '@platform/sandbox';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FuzzRequest } from './requests';

/** What the checks need of the task service's configuration: environments and template patterns. */
export interface TaskFacts {
  environments: readonly string[];
  /** Pattern of each template's parameter, by template and parameter name. */
  patterns: Record<string, Record<string, string>>;
}

/** The accepted request that produced each workflow the fuzz run submitted, by workflow name. */
export type Accepted = Map<string, FuzzRequest>;

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Reads every Workflow the sandbox received during the run and checks that each came from an
 * accepted request, and that each parameter taken from the request is exactly the value sent and
 * one the validators should have let through: a DNS label, a git ref git itself accepts, an OCI
 * tag, a configured environment, template values matching their patterns. Returns the problems.
 */
export async function checkWorkflows(
  workflows: readonly KubeObject[],
  accepted: Accepted,
  facts: TaskFacts,
): Promise<string[]> {
  const problems: string[] = [];
  const refs: string[] = [];
  for (const workflow of workflows) {
    const name = workflow.metadata.name ?? '';
    const request = accepted.get(name);
    if (request === undefined) {
      problems.push(`workflow ${name} was submitted, but no request was answered 2xx with it`);
      continue;
    }
    const parameters = parametersOf(workflow);
    const sent = request.sent;
    const body = (typeof sent.body === 'object' && sent.body !== null ? sent.body : {}) as Record<
      string,
      unknown
    >;
    const expect = (parameter: string, value: unknown, valid: (v: string) => boolean): void => {
      const got = parameters[parameter];
      if (got === undefined || got !== value)
        problems.push(
          `${name}: parameter ${parameter} is ${JSON.stringify(got)}, the request sent ${JSON.stringify(value)}`,
        );
      else if (!valid(got))
        problems.push(`${name}: parameter ${parameter} ${JSON.stringify(got)} should have been refused`);
    };
    const label = (v: string): boolean => DNS_1123_LABEL.test(v) && v.length <= 63;
    switch (workflow.metadata.labels?.['platform-api/task-type']) {
      case 'ci': {
        expect('app', sent.path.app, (v) => appNameProblem(v) === undefined);
        const ref = body.ref ?? 'main';
        expect('ref', ref, (v) => gitRefProblem(v) === undefined);
        if (typeof ref === 'string') refs.push(ref);
        break;
      }
      case 'cd':
        expect('app', sent.path.app, (v) => appNameProblem(v) === undefined);
        expect('tag', body.tag, (v) => IMAGE_TAG.test(v));
        expect('environment', body.environment, (v) => facts.environments.includes(v));
        break;
      case 'create': {
        expect('app', body.name, (v) => appNameProblem(v) === undefined);
        expect('team', body.team, label);
        expect('template', body.template, (v) => facts.patterns[v] !== undefined);
        expect('environment', body.environment ?? facts.environments[0], (v) =>
          facts.environments.includes(v),
        );
        problems.push(
          ...valuesProblems(name, parameters.values ?? '', facts.patterns[String(body.template)] ?? {}),
        );
        break;
      }
      default:
        problems.push(`${name}: a workflow of no known task type`);
    }
    for (const [key, value] of Object.entries(workflow.metadata.labels ?? {})) {
      if (!LABEL_VALUE.test(value) || value.length > 63)
        problems.push(`${name}: label ${key}=${JSON.stringify(value)} is not a label value`);
    }
  }
  problems.push(...(await refsGitRefuses(refs)));
  return problems;
}

function parametersOf(workflow: KubeObject): Record<string, string> {
  const spec = (
    workflow as { spec?: { arguments?: { parameters?: Array<{ name: string; value?: string }> } } }
  ).spec;
  return Object.fromEntries((spec?.arguments?.parameters ?? []).map((p) => [p.name, p.value ?? '']));
}

/** The create workflow's `KEY=value` lines: each key a template parameter, each value its pattern's. */
function valuesProblems(name: string, values: string, patterns: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const line of values.split('\n').filter((l) => l !== '')) {
    const [key = '', ...rest] = line.split('=');
    const parameter = key.toLowerCase().replace(/_/g, '-');
    const pattern = patterns[parameter];
    if (pattern === undefined)
      problems.push(`${name}: values line for unknown parameter ${JSON.stringify(key)}`);
    else if (!new RegExp(`^(?:${pattern})$`).test(rest.join('='))) {
      problems.push(`${name}: value ${JSON.stringify(line)} does not match ${pattern}`);
    }
  }
  return problems;
}

/** The refs that the real git refuses as a branch name (`git check-ref-format --branch`). */
async function refsGitRefuses(refs: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const ref of new Set(refs)) {
    try {
      await promisify(execFile)('git', ['check-ref-format', '--branch', ref]);
    } catch {
      problems.push(`ref ${JSON.stringify(ref)} was accepted, but git refuses it as a branch name`);
    }
  }
  return problems;
}
