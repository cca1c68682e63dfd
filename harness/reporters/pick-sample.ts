/**
 * Picks at most `limit` items in their original order: every item `isKept` selects, up to half
 * the limit, then an even spread of the others. Charts stay readable and the file small for
 * thousands of attempts, while failures are never sampled away first.
 */
export function pickSample<T>(items: readonly T[], limit: number, isKept: (item: T) => boolean): T[] {
  if (items.length <= limit) return [...items];
  const keptIndexes = new Set<number>();
  for (let index = 0; index < items.length && keptIndexes.size < Math.floor(limit / 2); index += 1) {
    if (isKept(items[index] as T)) keptIndexes.add(index);
  }
  const others = items.length - keptIndexes.size;
  const room = limit - keptIndexes.size;
  const stride = others / room;
  let next = 0;
  let seen = 0;
  for (let index = 0; index < items.length; index += 1) {
    if (keptIndexes.has(index)) continue;
    if (seen >= Math.floor(next) && keptIndexes.size < limit) {
      keptIndexes.add(index);
      next += stride;
    }
    seen += 1;
  }
  return items.filter((_, index) => keptIndexes.has(index));
}
