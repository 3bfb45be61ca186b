// Database commands the subgraphs ran, from their /metrics (the counter that
// OMURGA_COUNT_DB_COMMANDS=1 turns on, packages/shared/src/db.ts).
export async function databaseCommands(metricsUrls: string[]): Promise<number> {
  let total = 0;
  for (const url of metricsUrls) {
    const text = await (await fetch(url)).text();
    for (const line of text.split('\n')) {
      if (line.startsWith('omurga_database_commands_total{')) total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
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
