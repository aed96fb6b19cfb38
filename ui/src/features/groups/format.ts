/**
 * Words the Groups screen shows: labels for kinds and templates,
 * and the sentences that report what enrolling, discharging and scheduling
 * did. Kept apart from the components so they read the same everywhere.
 */
import type {
  Completion,
  DayOfWeek,
  EnrollOutcome,
  GroupKind,
  GroupSession,
  NoteTemplate,
  NthWeek,
} from '../../lib/api';
import { formatDayWithYear, formatTimeRange, localDateOf } from '../../lib/datetime';

export const KIND_LABELS: Record<GroupKind, string> = {
  closed: 'Closed cohort',
  rolling: 'Rolling',
};

export const KIND_HINTS: Record<GroupKind, string> = {
  closed: 'Starts and ends together; new people join the next cohort.',
  rolling: 'Open admission: people join whenever a seat is free.',
};

export const TEMPLATE_LABELS: Record<NoteTemplate, string> = {
  girp: 'GIRP (goals, intervention, response, plan)',
  soap: 'SOAP (subjective, objective, assessment, plan)',
  dap: 'DAP (data, assessment, plan)',
  birp: 'BIRP (behaviour, intervention, response, plan)',
};

export const TEMPLATE_SHORT: Record<NoteTemplate, string> = {
  girp: 'GIRP',
  soap: 'SOAP',
  dap: 'DAP',
  birp: 'BIRP',
};

export const NTH_WEEKS: readonly { value: NthWeek; label: string }[] = [
  { value: 'first', label: 'First' },
  { value: 'second', label: 'Second' },
  { value: 'third', label: 'Third' },
  { value: 'fourth', label: 'Fourth' },
  { value: 'last', label: 'Last' },
];

export const DAYS: readonly { value: DayOfWeek; label: string }[] = [
  { value: 'monday', label: 'Monday' },
  { value: 'tuesday', label: 'Tuesday' },
  { value: 'wednesday', label: 'Wednesday' },
  { value: 'thursday', label: 'Thursday' },
  { value: 'friday', label: 'Friday' },
  { value: 'saturday', label: 'Saturday' },
  { value: 'sunday', label: 'Sunday' },
];

/** "1 session", "12 sessions". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "8 of 10". */
export function seatsText(active: number, capacity: number): string {
  return `${active} of ${capacity}`;
}

/** "2 waiting", or "No one waiting". */
export function waitingText(n: number): string {
  return n === 0 ? 'No one waiting' : `${n} waiting`;
}

/**
 * What enrolling did. `askedForWaitlist`: the person ticked "add to the
 * waitlist even if a seat is free".
 */
export function enrollOutcomeText(outcome: EnrollOutcome, askedForWaitlist: boolean): string {
  const { enrollment, sessionsBooked } = outcome;
  if (enrollment.status === 'waitlisted') {
    const place = enrollment.waitlistPlace ?? 0;
    return askedForWaitlist
      ? `Added to the waitlist, place ${place}.`
      : `The group is full: added to the waitlist, place ${place}.`;
  }
  const booked =
    sessionsBooked === 0
      ? 'Enrolled; there are no sessions to book yet.'
      : `Enrolled; booked into ${count(sessionsBooked, 'session')}.`;
  return withFullSessions(booked, outcome);
}

/** What taking someone from the waitlist did. */
export function acceptOutcomeText(name: string, outcome: EnrollOutcome): string {
  const n = outcome.sessionsBooked;
  const booked =
    n === 0
      ? `${name} now has a seat: there are no remaining sessions to book yet.`
      : `${name} now has a seat: booked into ${count(n, 'remaining session')}.`;
  return withFullSessions(booked, outcome);
}

/**
 * "Not booked into 2 full sessions: Tue 22 Jan 2030, Tue 29 Jan 2030.", or
 * "" when every session had a seat. Full: every seat of the group (or of a
 * smaller room) was already taken that day.
 */
export function fullSessionsText(outcome: Pick<EnrollOutcome, 'fullSessions'>): string {
  const full = outcome.fullSessions;
  if (full.length === 0) return '';
  const dates = full.map((s) => dateWithYear(s.date)).join(', ');
  return `Not booked into ${count(full.length, 'full session')}: ${dates}.`;
}

function withFullSessions(text: string, outcome: EnrollOutcome): string {
  const full = fullSessionsText(outcome);
  return full === '' ? text : `${text} ${full}`;
}

/** "9 of 12 attended (1 excused, 2 unexcused)". */
export function completionText(c: Completion): string {
  return `${c.attended} of ${c.booked} attended (${c.excused} excused, ${c.unexcused} unexcused)`;
}

/** "2 late, 1 left early, 3 not recorded yet", or "" when there is nothing to add. */
export function completionDetail(c: Completion): string {
  const parts: string[] = [];
  if (c.late > 0) parts.push(`${c.late} late`);
  if (c.leftEarly > 0) parts.push(`${c.leftEarly} left early`);
  if (c.unrecorded > 0) parts.push(`${c.unrecorded} not recorded yet`);
  return parts.join(', ');
}

/** "Tue 5 Feb 2030": a local date with its year (series run for years). */
export function dateWithYear(date: string): string {
  return formatDayWithYear(date);
}

/** "Tue 5 Feb 2030, 18:00–19:30" in the practice's zone. */
export function sessionWhen(s: Pick<GroupSession, 'startsAt' | 'endsAt'>, tz: string): string {
  return `${dateWithYear(localDateOf(s.startsAt, tz))}, ${formatTimeRange(s.startsAt, s.endsAt, tz)}`;
}

/** "Session 5" (or "Session" for one outside a series). */
export function sessionName(s: Pick<GroupSession, 'seq'>): string {
  return s.seq === null ? 'Session' : `Session ${s.seq}`;
}

/** "Session 5 · Tue 5 Feb 2030, 18:00–19:30 · Room A · 10 booked". */
export function sessionLine(s: GroupSession, tz: string): string {
  return `${sessionName(s)} · ${sessionWhen(s, tz)} · ${s.roomName} · ${s.membersBooked} booked`;
}

/** "Moved", "Cancelled", or null for a session as the series made it. */
export function exceptionWord(s: GroupSession): 'Moved' | 'Cancelled' | null {
  if (s.status === 'cancelled') return 'Cancelled';
  if (s.isException) return 'Moved';
  return null;
}

/** Minutes between two instants. */
export function minutesBetween(startsAt: string, endsAt: string): number {
  return Math.round((Date.parse(endsAt) - Date.parse(startsAt)) / 60_000);
}

/** Whether `value` is a whole number (digits only, no sign or decimals). */
export function wholeNumber(value: string): number | null {
  const text = value.trim();
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}
