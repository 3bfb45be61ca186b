/**
 * The waits between delivery attempts: exponential from `initialSeconds`
 * (doubling), each capped at `maxIntervalSeconds`, until their sum reaches
 * `spanSeconds`. The defaults (30 s, 12 h, 3 days) give 17 attempts, the last
 * about 3.2 days after the first; tests pass seconds.
 */
export function retrySchedule(options: { initialSeconds: number; maxIntervalSeconds: number; spanSeconds: number }): number[] {
  const { initialSeconds, maxIntervalSeconds, spanSeconds } = options;
  const delays: number[] = [];
  let total = 0;
  for (let delay = initialSeconds; total < spanSeconds; delay *= 2) {
    const wait = Math.min(delay, maxIntervalSeconds);
    delays.push(wait);
    total += wait;
  }
  return delays;
}
