import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { displayName, fnv32a, nodeId, podName } from '../../src/argo-workflows/controller/naming';

const FIXTURES = path.resolve(__dirname, '../../../..', '..', 'shared', 'fixtures', 'argo-workflows');

describe(fnv32a.name, () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hashes %j like Go hash/fnv New32a', (text, expected) => {
    expect(fnv32a(text)).toBe(expected);
  });
});

describe(podName.name, () => {
  it('is <workflow>-<template>-<fnv32a(node name)>, the root node keeps the workflow name', () => {
    expect(podName('wfname', 'nodename', 'templatename')).toBe(`wfname-templatename-${fnv32a('nodename')}`);
    expect(podName('wf', 'wf', 'main')).toBe('wf');
  });

  it('truncates a long prefix to 242 characters as Argo does', () => {
    const name = podName('w'.repeat(200), 'n', 't'.repeat(100));
    expect(name.length).toBe(242 + 1 + String(fnv32a('n')).length);
  });
});

describe(displayName.name, () => {
  it.each([
    ['wf[0].fail', 'wf', 'fail'],
    ['wf[0].fail(1)', 'wf', 'fail(1)'],
    ['wf[0]', 'wf', '[0]'],
    ['dag.sub-dag1.fail', 'dag.sub-dag1', 'fail'],
    ['wf.onExit', undefined, 'wf.onExit'],
  ])('%s below %s shows as %s', (name, boundary, expected) => {
    expect(displayName(name, boundary)).toBe(expected);
  });
});

const describeFixtures = existsSync(FIXTURES) ? describe : describe.skip;
if (!existsSync(FIXTURES)) console.log('workflow naming fixtures skipped: ../shared not found');

describeFixtures('node ids and display names of the Argo fixtures', () => {
  const files = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((f) => f.startsWith('workflow-')) : [];

  it.each(files)('%s: every node id is nodeId(workflow, node name)', (file) => {
    const wf = parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as {
      metadata: { name: string };
      status: {
        nodes: Record<
          string,
          {
            id: string;
            name: string;
            displayName: string;
            boundaryID?: string;
            type: string;
            templateName?: string;
          }
        >;
      };
    };
    const nodes = Object.values(wf.status.nodes);
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(nodeId(wf.metadata.name, node.name)).toBe(node.id);
      const boundary = node.boundaryID === undefined ? undefined : wf.status.nodes[node.boundaryID]?.name;
      expect(displayName(node.name, boundary)).toBe(node.displayName);
    }
  });

  it('names the pods of a known workflow as Argo v2 pod names', () => {
    // retry-with-dags.success1(0) has id retry-with-dags-731586981 and runs template "success".
    expect(podName('retry-with-dags', 'retry-with-dags.success1(0)', 'success')).toBe(
      'retry-with-dags-success-731586981',
    );
    expect(podName('failed-retries-tjjsc', 'failed-retries-tjjsc[0].fail(1)', 'fail')).toBe(
      'failed-retries-tjjsc-fail-759866442',
    );
  });
});
