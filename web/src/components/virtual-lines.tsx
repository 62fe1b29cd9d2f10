// A scrolling list that renders only the rows in view (TanStack Virtual), so 100,000 log lines
// cost what 30 do. Follows the end while the reader is at the bottom; scrolling up stops that.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';

const rowHeight = 18;

export function VirtualLines<T>({ items, render, label, follow, onTop }: { items: T[]; render: (item: T, index: number) => ReactNode; label: string; follow: boolean; onTop?: () => void }) {
  const parent = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => parent.current, estimateSize: () => rowHeight, overscan: 20 });
  useEffect(() => {
    if (follow && atBottom.current && items.length > 0) virtualizer.scrollToIndex(items.length - 1, { align: 'end' });
  }, [items.length, follow, virtualizer]);
  return (
    <div
      ref={parent}
      className="log log-lines"
      role="log"
      aria-label={label}
      tabIndex={0}
      onScroll={(event) => {
        const el = event.currentTarget;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < rowHeight * 2;
        if (el.scrollTop === 0) onTop?.();
      }}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => (
          <div key={row.key} className="log-line" style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)` }}>
            {render(items[row.index] as T, row.index)}
          </div>
        ))}
      </div>
    </div>
  );
}
