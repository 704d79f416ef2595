// The long animation frames of a load (as `probes.js` notes them), each with the part of
// the load it held, from when the first row entered the page: `compare.mjs` and `ab.mjs`
// read them the same way.

/** The parts of a load, in order. */
export const PHASES = ['start-up', 'first rows', 'rest of the load'];

/**
 * The frames that began by `until` (ms from navigation), each with its `phase`: start-up
 * when it ended before the first row entered the page at `rowsSeen` (or no row did), first
 * rows when that happened inside it, the rest of the load after.
 */
export function loadFrames(loaf, rowsSeen, until) {
  return loaf.filter((l) => l.start <= until).map((l) => ({
    ...l,
    phase: rowsSeen === undefined || l.start + l.duration < rowsSeen ? PHASES[0]
      : l.start <= rowsSeen ? PHASES[1] : PHASES[2],
  }));
}
