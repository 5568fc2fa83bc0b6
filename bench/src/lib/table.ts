/** Prints rows as an aligned plain-text table (what the README copies). */
export function printTable(title: string, rows: Array<Record<string, string | number>>): void {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first);
  const width = (column: string): number =>
    Math.max(column.length, ...rows.map((row) => String(row[column] ?? '').length));
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(columns.map((c) => c.padEnd(width(c)))));
  console.log(line(columns.map((c) => '-'.repeat(width(c)))));
  for (const row of rows) console.log(line(columns.map((c) => String(row[c] ?? '').padEnd(width(c)))));
}
