// A timestamp as "3 min ago", with the exact time in a <time> element for tooltips and readers.
export function TimeAgo({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="muted">never</span>;
  const seconds = Math.round((Date.now() - new Date(at).getTime()) / 1000);
  const text =
    seconds < 60 ? `${Math.max(0, seconds)} s ago` : seconds < 3600 ? `${Math.round(seconds / 60)} min ago` : seconds < 86_400 ? `${Math.round(seconds / 3600)} h ago` : `${Math.round(seconds / 86_400)} d ago`;
  return (
    <time dateTime={at} title={new Date(at).toLocaleString()}>
      {text}
    </time>
  );
}
