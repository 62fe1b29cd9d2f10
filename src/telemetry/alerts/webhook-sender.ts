// Delivers alert events to BERTH_ALERT_WEBHOOK_URL as JSON POSTs, one at a time and in order,
// retrying failures (network errors, timeouts, non-2xx) with exponential backoff. The queue is
// bounded: when a receiver stays down, the oldest undelivered events are dropped and logged.
import type { Logger } from '../../core/ports/logger.js';

export interface WebhookOptions {
  url: string;
  logger: Logger;
  retryBaseMs: number;
  maxAttempts?: number;
  timeoutMs?: number;
  maxQueued?: number;
}

export interface WebhookSender {
  send(payload: unknown): void;
  /** Resolves when the queue is empty (tests, shutdown). */
  idle(): Promise<void>;
  stop(): void;
}

export function createWebhookSender(options: WebhookOptions): WebhookSender {
  const maxAttempts = options.maxAttempts ?? 6;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxQueued = options.maxQueued ?? 1_000;
  const queue: string[] = [];
  let sending = false;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];
  let retryTimer: { timer: NodeJS.Timeout; resolve: () => void } | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        retryTimer = null;
        resolve();
      }, ms);
      timer.unref();
      retryTimer = { timer, resolve };
    });

  async function post(body: string): Promise<void> {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Berth-Alerts/1' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`answered ${response.status}`);
  }

  async function pump(): Promise<void> {
    sending = true;
    while (queue.length > 0 && !stopped) {
      const body = queue[0] ?? '';
      for (let attempt = 1; !stopped; attempt++) {
        try {
          await post(body);
          break;
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          if (attempt >= maxAttempts) {
            options.logger.warn({ attempts: attempt, reason }, 'alert webhook gave up on an event');
            break;
          }
          await sleep(options.retryBaseMs * 2 ** (attempt - 1));
        }
      }
      queue.shift();
    }
    sending = false;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  }

  return {
    send(payload) {
      if (stopped) return;
      if (queue.length >= maxQueued) {
        queue.splice(1, 1);
        options.logger.warn({ maxQueued }, 'alert webhook queue full: dropped the oldest waiting event');
      }
      queue.push(JSON.stringify(payload));
      if (!sending) void pump();
    },
    idle() {
      if (!sending && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    stop() {
      stopped = true;
      if (retryTimer) {
        clearTimeout(retryTimer.timer);
        retryTimer.resolve();
      }
    },
  };
}
