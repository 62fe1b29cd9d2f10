// Provisioning in flight, by database, for one Berth: delete waits for it and restart refuses
// during it. Each core has its own (deps.provisioning), so Berths in one process never share it.

export interface DatabaseProvisioning {
  /** Keeps the run as the database's provisioning until it settles; returns it. */
  track(databaseId: string, run: Promise<void>): Promise<void>;
  inFlight(databaseId: string): boolean;
  /** Waits for the database's provisioning in flight (none: resolves at once). */
  settled(databaseId: string): Promise<void>;
}

export function createDatabaseProvisioning(): DatabaseProvisioning {
  const running = new Map<string, Promise<void>>();
  return {
    track(databaseId, run) {
      const tracked = run.finally(() => {
        if (running.get(databaseId) === tracked) running.delete(databaseId);
      });
      running.set(databaseId, tracked);
      return tracked;
    },
    inFlight: (databaseId) => running.has(databaseId),
    async settled(databaseId) {
      await running.get(databaseId);
    },
  };
}
