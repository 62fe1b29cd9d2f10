// A bounded queue that keeps the newest items: pushing into a full ring replaces the oldest in
// constant time (an array's shift() moves every item, so a flood into a full queue cost O(n) a line).
export interface LineRing<T> {
  /** Adds an item; returns true when the ring was full and the oldest was replaced. */
  push(item: T): boolean;
  /** Everything held, oldest first, and empties the ring. */
  drain(): T[];
  readonly size: number;
}

export function createLineRing<T>(capacity: number): LineRing<T> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('a ring holds at least one item');
  let items: T[] = [];
  /** Index of the oldest item once the ring is full (before, items fill from 0). */
  let head = 0;
  return {
    push(item) {
      if (items.length < capacity) {
        items.push(item);
        return false;
      }
      items[head] = item;
      head = (head + 1) % capacity;
      return true;
    },
    drain() {
      const out = head === 0 ? items : items.slice(head).concat(items.slice(0, head));
      items = [];
      head = 0;
      return out;
    },
    get size() {
      return items.length;
    },
  };
}
