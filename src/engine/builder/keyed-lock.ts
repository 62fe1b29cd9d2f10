// One operation at a time per key (an artifact's hash, a revision tree's path): a checkout never
// copies from a tree the collector is removing, and a tree is never found "there" half-removed.

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
