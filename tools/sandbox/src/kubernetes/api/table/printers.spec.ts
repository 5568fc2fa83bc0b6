import { Kinds } from '../../../core/resource-kinds';
import { printerFor } from './printers';

const NOW = Date.parse('2024-05-01T12:00:00Z');

describe('the printers of the Argo custom resources', () => {
  it('prints a Workflow with the columns its CRD declares: Status, Age from startedAt, Message', () => {
    const printer = printerFor(Kinds.Workflow);
    expect(printer.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Status', 'string', 0],
      ['Age', 'date', 0],
      ['Message', 'string', 0],
    ]);
    const row = printer.row(
      {
        metadata: { name: 'ci-x', creationTimestamp: '2024-05-01T11:00:00Z' },
        status: { phase: 'Running', startedAt: '2024-05-01T11:59:00Z' },
      },
      NOW,
    );
    expect(row.cells).toEqual(['ci-x', 'Running', '60s', null]);
  });

  it('prints an Application with sync and health, revision and project as priority 10', () => {
    const printer = printerFor(Kinds.Application);
    expect(printer.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Sync Status:0',
      'Health Status:0',
      'Revision:10',
      'Project:10',
    ]);
    const row = printer.row(
      {
        metadata: { name: 'shop-dev' },
        spec: { project: 'payments' },
        status: { sync: { status: 'Synced', revision: 'abc' }, health: { status: 'Healthy' } },
      },
      NOW,
    );
    expect(row.cells).toEqual(['shop-dev', 'Synced', 'Healthy', 'abc', 'payments']);
  });

  it('prints a CRD without columns with Age from creationTimestamp', () => {
    const printer = printerFor(Kinds.WorkflowTemplate);
    expect(printer.columns.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(
      printer.row({ metadata: { name: 'ci', creationTimestamp: '2024-05-01T11:00:00Z' } }, NOW).cells,
    ).toEqual(['ci', '60m']);
  });
});

describe('the event printer', () => {
  it('prints last seen, type, reason, kind/name and message; the rest at priority 1', () => {
    const printer = printerFor(Kinds.Event);
    expect(printer.columns.filter((c) => c.priority === 0).map((c) => c.name)).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Message',
    ]);
    const row = printer.row(
      {
        metadata: { name: 'web.17a' },
        type: 'Warning',
        reason: 'BackOff',
        message: ' Back-off restarting failed container ',
        count: 3,
        firstTimestamp: '2024-05-01T11:50:00Z',
        lastTimestamp: '2024-05-01T11:59:30Z',
        involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{main}' },
        source: { component: 'kubelet', host: 'node-1' },
      },
      NOW,
    );
    expect(row.cells).toEqual([
      '30s',
      'Warning',
      'BackOff',
      'pod/web',
      'spec.containers{main}',
      'kubelet, node-1',
      'Back-off restarting failed container',
      '10m',
      3,
      'web.17a',
    ]);
  });
});
