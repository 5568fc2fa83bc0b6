/**
 * Go's `text/tabwriter` as the argocd CLI sets it up (`NewWriter(out, 0, 0, 2, ' ', 0)`) for rows
 * that all have the same number of cells: every cell but a row's last is padded with spaces to its
 * column's widest cell (in runes) plus 2; the last cell is written as it is. Empty columns keep
 * their padding (no DiscardEmptyColumns).
 */
export function tabulate(rows: readonly (readonly string[])[]): string {
  const runes = (cell: string): number => [...cell].length;
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, runes(cell) + 2);
    });
  }
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - runes(cell))))
          .join('')}\n`,
    )
    .join('');
}
