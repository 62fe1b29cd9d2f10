// One operation at a time per key, for any part of the engine: the builder's (an artifact's hash, a
// tree's path: a checkout never copies from a tree the collector is removing) and the databases'
// (a database's id: its backups, restores and deletion take turns).

export interface KeyedLock {
  run<T>(key: string, operation: () => Promise<T>): Promise<T>;
}

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, operation) {
      const result = (tails.get(key) ?? Promise.resolve()).then(operation);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
