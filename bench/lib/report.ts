/** A plain-text table: a header row, a rule, then the rows, columns padded to their widest cell. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The JSON object on the last non-empty line of a bench's output, or null. */
export function lastJsonLine(output: string): Record<string, unknown> | null {
  const last = output.trimEnd().split('\n').at(-1)?.trim() ?? '';
  try {
    const value: unknown = JSON.parse(last);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Rounds a figure for the table and the JSON: three significant digits are plenty for a benchmark. */
export const round = (value: number, digits = 3) => (Number.isFinite(value) ? Number(value.toPrecision(digits)) : value);
