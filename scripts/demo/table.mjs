// @ts-check
// The summary service's app list as a plain text table.

/** @typedef {import('@platform/domain').AppSummary} AppSummary */

/** @type {Array<[title: string, cell: (app: AppSummary) => string | number]>} */
const COLUMNS = [
  ['APP', (a) => a.app],
  ['TEAM', (a) => a.team ?? '-'],
  ['TEMPLATE', (a) => a.template ?? '-'],
  ['BUILD', (a) => a.build?.phase ?? '-'],
  ['DEPLOY', (a) => a.deploy?.phase ?? '-'],
  ['SYNC', (a) => a.sync.status],
  ['HEALTH', (a) => a.health.status],
  ['PODS', (a) => `${a.pods.ready}/${a.pods.total}`],
  ['IMAGE', (a) => a.deploy?.image ?? a.images[0] ?? '-'],
];

/** @param {AppSummary[]} apps */
export function appTable(apps) {
  const rows = [
    COLUMNS.map(([title]) => title),
    ...apps.map((a) => COLUMNS.map(([, cell]) => String(cell(a)))),
  ];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
