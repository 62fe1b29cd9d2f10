// What deploys are using right now that the store does not say yet (an artifact being checked
// out, a revision tree not yet in a revision row, an upload not yet in a queued deployment), so
// a prune that read the store a moment earlier spares it: a key counts as held from `hold` until
// its release, and for every prune that started before the release. Prunes run one at a time.

export interface ArtifactPins {
  /** Holds image refs, tree paths and upload ids; the function returned releases them (once). */
  hold(keys: readonly string[]): () => void;
  /**
   * Runs a prune after the one running, or joins one of the same scope (an app's, say) that waits
   * to start (it reads the store later anyway, so asking twice needs one run). `spared` says
   * whether a key was held at any moment since the prune started (so its reading of the store may
   * have missed it).
   */
  exclusive(scope: string, prune: (spared: (key: string) => boolean) => Promise<void>): Promise<void>;
  /** Resolves once no prune runs or waits (a closing Berth lets them end before the store goes). */
  settled(): Promise<void>;
}

/** Wraps each prune as it starts (a seam for tests that hold or watch one). */
export type AroundPrune = (scope: string, run: () => Promise<void>) => Promise<void>;

export function createArtifactPins(options: { around?: AroundPrune } = {}): ArtifactPins {
  const around: AroundPrune = options.around ?? ((_scope, run) => run());
  let clock = 0;
  const held = new Map<string, number>();
  /** When each key was last released (by `clock`), kept while a prune may need it. */
  const released = new Map<string, number>();
  let tail: Promise<unknown> = Promise.resolve();
  /** The prunes waiting for the running one to end, by scope. */
  const waiting = new Map<string, Promise<void>>();
  return {
    hold(keys) {
      for (const key of keys) held.set(key, (held.get(key) ?? 0) + 1);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        clock += 1;
        for (const key of keys) {
          const left = (held.get(key) ?? 1) - 1;
          if (left > 0) held.set(key, left);
          else held.delete(key);
          released.set(key, clock);
        }
      };
    },
    exclusive(scope, prune) {
      const queued = waiting.get(scope);
      if (queued) return queued;
      const run = tail.then(async () => {
        waiting.delete(scope);
        const start = clock;
        try {
          await around(scope, () => prune((key) => held.has(key) || (released.get(key) ?? -1) > start));
        } finally {
          // No prune is running now: releases before this moment matter to none.
          for (const [key, at] of released) if (at <= clock) released.delete(key);
        }
      });
      tail = run.catch(() => undefined);
      waiting.set(scope, run);
      return run;
    },
    async settled() {
      let seen: Promise<unknown> | null = null;
      while (seen !== tail) {
        seen = tail;
        await tail;
      }
    },
  };
}
