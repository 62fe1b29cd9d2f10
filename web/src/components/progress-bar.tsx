// Progress of a long action, announced to screen readers; no value means "working, length unknown".
export function ProgressBar({ label, value, max }: { label: string; value?: number; max?: number }) {
  const percent = value !== undefined && max ? Math.round((value / max) * 100) : null;
  return (
    <div role="status" aria-live="polite">
      <div>
        {label}
        {percent !== null ? ` (${percent}%)` : '…'}
      </div>
      <progress aria-label={label} value={value} max={max} />
    </div>
  );
}
