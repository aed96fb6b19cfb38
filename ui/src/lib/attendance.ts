/**
 * Attendance, the one place the UI knows about it: the statuses in the order
 * they are offered, their words and symbols (every screen says them the same
 * way), which times each status takes, and the checks made before sending.
 * The core checks the same again (`schedule::attendance::record`).
 */
import type {
  AppointmentAttendanceInput,
  AttendanceInput,
  AttendanceRecord,
  AttendanceStatus,
} from './api';
import type { StatusWord } from './components/StatusTag.svelte';
import { formatInstantTime, isTime, localTimeOf } from './datetime';

export interface AttendanceWord extends StatusWord {
  /** For narrow table columns only (the attendance grid); elsewhere `word`. */
  short: string;
}

/** The order choices are offered in: as the front desk meets them. */
export const ATTENDANCE_STATUSES: readonly AttendanceStatus[] = [
  'present',
  'late',
  'leftEarly',
  'absentExcused',
  'noShow',
  'cancelledLate',
];

export const ATTENDANCE_WORDS: Record<AttendanceStatus, AttendanceWord> = {
  present: { word: 'Present', short: 'Present', symbol: '✓', tone: 'success' },
  late: { word: 'Late', short: 'Late', symbol: '◔', tone: 'warning' },
  leftEarly: { word: 'Left early', short: 'Left early', symbol: '◑', tone: 'warning' },
  absentExcused: { word: 'Absent (excused)', short: 'Excused', symbol: '○', tone: 'info' },
  noShow: { word: 'No-show', short: 'No-show', symbol: '✕', tone: 'danger' },
  cancelledLate: { word: 'Late cancellation', short: 'Late cancel', symbol: '⊘', tone: 'danger' },
};

export const NOT_RECORDED: StatusWord = { word: 'Not recorded', symbol: '–', tone: 'muted' };
/** In a session's grid: the member was not booked into that session. */
export const NOT_BOOKED: StatusWord = { word: 'Not booked', symbol: '·', tone: 'muted' };

export function attendanceLabel(status: AttendanceStatus): string {
  return ATTENDANCE_WORDS[status].word;
}

/** The select's choices. */
export const ATTENDANCE_OPTIONS: readonly { value: AttendanceStatus; label: string }[] =
  ATTENDANCE_STATUSES.map((value) => ({ value, label: ATTENDANCE_WORDS[value].word }));

export function isAttendanceStatus(value: string): value is AttendanceStatus {
  return (ATTENDANCE_STATUSES as readonly string[]).includes(value);
}

/** Attended, so the member has a clinical section in the note. */
export function isAttending(status: AttendanceStatus | null): boolean {
  return status === 'present' || status === 'late' || status === 'leftEarly';
}

/** Why an absent member has no section, mid-sentence ("absent — no-show"). */
const ABSENCE_WORDS: Partial<Record<AttendanceStatus, string>> = {
  absentExcused: 'absent — excused',
  noShow: 'absent — no-show',
  cancelledLate: 'absent — late cancellation',
};

/** "Zoë Martin: no clinical note (absent — no-show)". */
export function absentLine(name: string, status: AttendanceStatus): string {
  return `${name}: no clinical note (${ABSENCE_WORDS[status] ?? 'absent'})`;
}

// Times ----------------------------------------------------------------------

/** The core's names for the two times (its refusals name them too). */
export type TimeField = 'arrivedAt' | 'leftAt';

export interface TimeAsk {
  field: TimeField;
  /** Late must say when they arrived, Left early when they left. */
  required: boolean;
}

/**
 * The times a status takes, in the order they are asked. Left early may
 * also say when they arrived (someone late who also left early); the core
 * keeps that arrival.
 */
export function timesFor(status: AttendanceStatus | ''): readonly TimeAsk[] {
  if (status === 'late') return [{ field: 'arrivedAt', required: true }];
  if (status === 'leftEarly') {
    return [
      { field: 'arrivedAt', required: false },
      { field: 'leftAt', required: true },
    ];
  }
  return [];
}

/** Whether the status needs a time before it can be saved. */
export function needsTime(status: AttendanceStatus | ''): boolean {
  return timesFor(status).some((ask) => ask.required);
}

/** Times as typed: "HH:MM" in the practice's zone, or empty. */
export interface TimesDraft {
  arrivedAt: string;
  leftAt: string;
}

/** A problem found before sending, for the field it belongs beside. */
export interface TimeProblem {
  field: TimeField;
  message: string;
}

const MISSING: Record<TimeField, string> = {
  arrivedAt: 'Enter when they arrived, like 18:10.',
  leftAt: 'Enter when they left, like 19:05.',
};

/**
 * What is wrong with the times for `status`, or null. Leaving before (or
 * when) arriving is put beside the leaving time, where the core puts it too.
 * Both times fall on the session's day, so "HH:MM" compare as text.
 */
export function checkTimes(status: AttendanceStatus, times: TimesDraft): TimeProblem | null {
  const asks = timesFor(status);
  for (const { field, required } of asks) {
    const value = times[field].trim();
    if (value === '') {
      if (required) return { field, message: MISSING[field] };
      continue;
    }
    if (!isTime(value)) return { field, message: 'Enter a time like 18:10.' };
  }
  const arrived = times.arrivedAt.trim();
  const left = times.leftAt.trim();
  if (asks.length === 2 && arrived !== '' && left <= arrived) {
    return {
      field: 'leftAt',
      message: `They cannot leave before they arrive: enter a time after ${arrived}.`,
    };
  }
  return null;
}

/** Only the times the status takes, blanks as nothing. */
function sentTimes(
  status: AttendanceStatus,
  times: TimesDraft,
): { arrivedAt: string | null; leftAt: string | null } {
  const asked = new Set(timesFor(status).map((ask) => ask.field));
  const time = (field: TimeField) => (asked.has(field) ? times[field].trim() || null : null);
  return { arrivedAt: time('arrivedAt'), leftAt: time('leftAt') };
}

/** What `attendanceRecord` takes: only the times the status takes, blanks as nothing. */
export function attendanceInput(
  sessionId: number,
  clientId: number,
  status: AttendanceStatus,
  times: TimesDraft,
): AttendanceInput {
  return { sessionId, clientId, status, ...sentTimes(status, times) };
}

/** What `appointmentAttendanceRecord` takes: the same statuses and times, at an appointment. */
export function appointmentAttendanceInput(
  appointmentId: number,
  status: AttendanceStatus,
  times: TimesDraft,
): AppointmentAttendanceInput {
  return { appointmentId, status, ...sentTimes(status, times) };
}

/** A recorded status with what the UI knows of its times (instants, or null when unknown). */
export type Recorded = Pick<AttendanceRecord, 'status' | 'arrivedAt' | 'leftAt'>;

/** The recorded times as the form shows them ("HH:MM" in the practice's zone). */
export function timesOf(record: Recorded | null, tz: string): TimesDraft {
  return {
    arrivedAt: record?.arrivedAt ? localTimeOf(record.arrivedAt, tz) : '',
    leftAt: record?.leftAt ? localTimeOf(record.leftAt, tz) : '',
  };
}

/** The time that goes with the status in a narrow cell: arrival for Late, leaving for Left early. */
export function statusTime(record: Recorded, tz: string): string | null {
  const at =
    record.status === 'late' ? record.arrivedAt : record.status === 'leftEarly' ? record.leftAt : null;
  return at ? formatInstantTime(at, tz) : null;
}

/** "Late, arrived 18:10"; "Left early, arrived 18:20, left 19:05"; "No-show". */
export function recordedText(record: Recorded, tz: string): string {
  const parts = [attendanceLabel(record.status)];
  if (record.arrivedAt) parts.push(`arrived ${formatInstantTime(record.arrivedAt, tz)}`);
  if (record.leftAt) parts.push(`left ${formatInstantTime(record.leftAt, tz)}`);
  return parts.join(', ');
}
