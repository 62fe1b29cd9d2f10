// Holding a store call once it has read, to force an interleaving without sleeps: the call runs,
// and when its result is the one the test waits for, `reading` resolves and the caller waits
// until `release()` (which also puts the original method back).
type AsyncFn<A extends unknown[], R> = (...args: A) => Promise<R>;

export interface HeldCall {
  /** Resolves when a call has read what `when` waits for (and is now held). */
  reading: Promise<void>;
  /** Lets held calls return and puts the original method back; safe to call twice. */
  release(): void;
}

/**
 * `original` is the method, bound; `install` puts a function in its place (`(fn) => (repo.list = fn)`).
 * `once`: only the first matching call is held (later ones go through).
 */
export function holdAfterRead<A extends unknown[], R>(
  original: AsyncFn<A, R>,
  install: (fn: AsyncFn<A, R>) => void,
  options: { when?: (result: R) => boolean; once?: boolean } = {},
): HeldCall {
  let reached!: () => void;
  let open!: () => void;
  const reading = new Promise<void>((resolve) => (reached = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  install(async (...args: A) => {
    const result = await original(...args);
    if (options.when?.(result) ?? true) {
      if (options.once) install(original);
      reached();
      await opened;
    }
    return result;
  });
  return {
    reading,
    release() {
      install(original);
      open();
    },
  };
}
