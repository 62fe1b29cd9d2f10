// A status in words with a symbol, so it never depends on colour alone.
const tone: Record<string, { symbol: string; className: string }> = {
  ok: { symbol: '✓', className: 'ok' },
  warn: { symbol: '!', className: 'warn' },
  bad: { symbol: '✕', className: 'bad' },
  busy: { symbol: '◌', className: 'warn' },
  idle: { symbol: '–', className: 'idle' },
};

const toneOf: Record<string, keyof typeof tone> = {
  active: 'ok', succeeded: 'ok', healthy: 'ok', running: 'ok', ready: 'ok', serving: 'ok', true: 'ok', verified: 'ok', resolved: 'ok',
  degraded: 'warn', warning: 'warn', pending: 'warn',
  failed: 'bad', build_failed: 'bad', unhealthy: 'bad', crashloopbackoff: 'bad', error: 'bad', critical: 'bad', open: 'bad',
  queued: 'busy', building: 'busy', deploying: 'busy', starting: 'busy', progressing: 'busy', provisioning: 'busy', stopping: 'busy',
};

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const t = tone[toneOf[status.toLowerCase()] ?? 'idle'] ?? { symbol: '–', className: 'idle' };
  return (
    <span className={`status ${t.className}`}>
      <span aria-hidden="true">{t.symbol}</span>
      {label ?? status}
    </span>
  );
}
