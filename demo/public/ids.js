// Checks a stream's ids for loss and repetition: the feed numbers its events 1, 2, 3, …, so after
// a reconnection the next id must be exactly one more than the last one received.

/** A counter of ids skipped (`gaps`) and ids seen again or out of order (`repeats`). */
export function idCounter() {
  const counts = { gaps: 0, repeats: 0, first: '', last: '' }
  let last = 0
  return {
    counts,
    /** Takes the next event's id. */
    see(id) {
      const n = Number(id)
      if (last && n <= last) counts.repeats++
      else {
        if (last) counts.gaps += n - last - 1
        else counts.first = id
        last = n
        counts.last = id
      }
    },
  }
}
