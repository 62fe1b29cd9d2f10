// Telemetry walks every app each round. On SQLite every store call answers synchronously and a
// promise that resolves at once never lets I/O in, so a round over thousands of apps would hold
// the event loop (and with it the API and the edge) for its whole length. Rounds call this per
// app: every `every` calls it waits one turn of the loop.
export function createIoYield(every = 100): () => Promise<void> {
  let calls = 0;
  return () => (++calls % every === 0 ? new Promise((resolve) => setImmediate(resolve)) : Promise.resolve());
}
