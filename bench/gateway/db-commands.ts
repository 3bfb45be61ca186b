// Database commands the subgraphs ran, from their /metrics (the counter that
// OMURGA_COUNT_DB_COMMANDS=1 turns on, packages/shared/src/db.ts).
export async function databaseCommands(metricsUrls: string[]): Promise<number> {
  let total = 0;
  for (const count of (await databaseCommandsByKind(metricsUrls)).values()) total += count;
  return total;
}

/** The same counters by their labels, e.g. `service="billing",command="find",collection="invoices"`. */
export async function databaseCommandsByKind(metricsUrls: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const url of metricsUrls) {
    const text = await (await fetch(url)).text();
    for (const line of text.split('\n')) {
      const match = /^omurga_database_commands_total\{(.*)\} (\S+)$/.exec(line);
      if (match) counts.set(match[1]!, (counts.get(match[1]!) ?? 0) + Number(match[2]));
    }
  }
  return counts;
}

/** The fewest commands one run of `run` cost over `times` runs (background work only ever adds). */
export async function commandsPerRun(metricsUrls: string[], run: () => Promise<unknown>, times = 5): Promise<number> {
  let fewest = Infinity;
  for (let i = 0; i < times; i++) {
    const before = await databaseCommands(metricsUrls);
    await run();
    fewest = Math.min(fewest, (await databaseCommands(metricsUrls)) - before);
  }
  return fewest;
}
