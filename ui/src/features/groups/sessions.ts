/**
 * Sorting a group's sessions for the screen. A weekly group kept for ten
 * years has over 500 of them, so the screen shows slices: the next few to
 * come, and past ones a page at a time.
 */
import type { GroupSession } from '../../lib/api';
import { localDateOf } from '../../lib/datetime';

/** Upcoming sessions shown at first (and added per "Show later sessions"). */
export const UPCOMING_PAGE = 12;
/** Past sessions shown per page. */
export const PAST_PAGE = 20;
/** Sessions shown as columns of the attendance grid. */
export const GRID_COLUMNS = 6;

export interface Split {
  /** Not yet over, soonest first (a session under way counts as upcoming). */
  upcoming: GroupSession[];
  /** Over, most recent first. */
  past: GroupSession[];
}

export function splitSessions(sessions: readonly GroupSession[], now: Date): Split {
  const at = now.getTime();
  const upcoming: GroupSession[] = [];
  const past: GroupSession[] = [];
  for (const s of sessions) {
    if (Date.parse(s.endsAt) > at) upcoming.push(s);
    else past.push(s);
  }
  upcoming.sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  past.sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt));
  return { upcoming, past };
}

/**
 * The series the group runs now: that of its next scheduled session, else
 * of its latest one. Null when it has no series.
 */
export function currentSeriesId(sessions: readonly GroupSession[], now: Date): number | null {
  const inSeries = sessions.filter((s) => s.seriesId !== null);
  if (inSeries.length === 0) return null;
  const { upcoming, past } = splitSessions(inSeries, now);
  const next = upcoming.find((s) => s.status === 'scheduled');
  return (next ?? past[0] ?? upcoming[0]).seriesId;
}

/**
 * Sessions that can have attendance: held (not cancelled) on or before
 * today in the practice's zone, oldest first, so today's group can be
 * checked in as people arrive.
 */
export function attendanceSessions(
  sessions: readonly GroupSession[],
  tz: string,
  today: string,
): GroupSession[] {
  return sessions
    .filter((s) => s.status === 'scheduled' && localDateOf(s.startsAt, tz) <= today)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

/**
 * The grid's columns: `GRID_COLUMNS` sessions ending `back` pages before the
 * most recent one (never fewer than there are, at the earliest page).
 */
export function gridWindow<T>(held: readonly T[], back: number): T[] {
  const earliest = Math.min(GRID_COLUMNS, held.length);
  const end = Math.max(held.length - back * GRID_COLUMNS, earliest);
  const start = Math.max(end - GRID_COLUMNS, 0);
  return held.slice(start, end);
}
