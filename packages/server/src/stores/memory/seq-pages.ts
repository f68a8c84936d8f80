/** The first index of `seqs` (ascending) whose seq is above `seq`. */
function firstAbove(seqs: readonly number[], seq: number): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (seqs[mid]! <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many of `seqs` (ascending) are above `seq`. */
export function countAbove(seqs: readonly number[], seq: number): number {
  return seqs.length - firstAbove(seqs, seq);
}

/**
 * A page of an ascending seq list, as `MessageStore.range` pages: with `after`, the oldest
 * `limit` seqs in (after, before); without, the newest `limit` below `before`.
 */
export function pageOf(
  seqs: readonly number[],
  query: { after?: number; before?: number; limit: number },
): { seqs: number[]; hasMore: boolean } {
  const lo = query.after === undefined ? 0 : firstAbove(seqs, query.after);
  const hi = query.before === undefined ? seqs.length : firstAbove(seqs, query.before - 1);
  if (lo >= hi) return { seqs: [], hasMore: false };
  if (query.after !== undefined) {
    const end = Math.min(hi, lo + query.limit);
    return { seqs: seqs.slice(lo, end), hasMore: end < hi };
  }
  const start = Math.max(lo, hi - query.limit);
  return { seqs: seqs.slice(start, hi), hasMore: start > lo };
}
