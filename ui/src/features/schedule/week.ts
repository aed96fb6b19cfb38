/**
 * Lays a week's agenda out as a grid: one column per local day, one row per
 * room or per clinician. A group session sits under its room, or under each
 * of its facilitators; an appointment under its room or its clinician.
 */
import type { Agenda, Appointment, GroupSession, Room, StaffMember } from '../../lib/api';
import { addDays, localDateOf } from '../../lib/datetime';

export type WeekMode = 'room' | 'clinician';

export interface WeekRow {
  /** A room's or a staff member's id. */
  id: number;
  label: string;
  /** A clinical colleague from the directory (their hours can be set). */
  clinician: boolean;
}

export type WeekItem =
  | { kind: 'session'; item: GroupSession }
  | { kind: 'appointment'; item: Appointment };

export interface WeekLayout {
  days: string[];
  rows: WeekRow[];
  /** Items by `cellKey(rowId, date)`, in time order. */
  cells: Map<string, WeekItem[]>;
}

export function cellKey(rowId: number, date: string): string {
  return `${rowId}|${date}`;
}

/** The seven dates from `monday`. */
export function weekDays(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

function startsAt(entry: WeekItem): string {
  return entry.item.startsAt;
}

export function layoutWeek(
  agenda: Agenda | null,
  monday: string,
  mode: WeekMode,
  rooms: readonly Room[],
  clinicians: readonly StaffMember[],
  everyone: readonly StaffMember[],
  tz: string,
): WeekLayout {
  const days = weekDays(monday);
  const inWeek = new Set(days);
  const rows: WeekRow[] =
    mode === 'room'
      ? rooms
          .filter((room) => room.active)
          .map((room) => ({ id: room.id, label: room.name, clinician: false }))
      : clinicians.map((member) => ({ id: member.id, label: member.fullName, clinician: true }));
  const known = new Set(rows.map((row) => row.id));
  const cells = new Map<string, WeekItem[]>();

  /** A row for an id the lists did not offer (an archived room, a former colleague). */
  function ensureRow(id: number, label: () => string) {
    if (known.has(id)) return;
    known.add(id);
    rows.push({ id, label: label(), clinician: false });
  }

  function place(rowId: number, date: string, entry: WeekItem) {
    const key = cellKey(rowId, date);
    const list = cells.get(key);
    if (list) list.push(entry);
    else cells.set(key, [entry]);
  }

  const staffName = (id: number) =>
    everyone.find((member) => member.id === id)?.fullName ?? `Staff member ${id}`;

  for (const item of agenda?.sessions ?? []) {
    const date = localDateOf(item.startsAt, tz);
    if (!inWeek.has(date)) continue;
    const entry: WeekItem = { kind: 'session', item };
    if (mode === 'room') {
      ensureRow(item.roomId, () => item.roomName);
      place(item.roomId, date, entry);
    } else {
      for (const id of new Set(item.facilitatorIds)) {
        ensureRow(id, () => staffName(id));
        place(id, date, entry);
      }
    }
  }

  for (const item of agenda?.appointments ?? []) {
    const date = localDateOf(item.startsAt, tz);
    if (!inWeek.has(date)) continue;
    const entry: WeekItem = { kind: 'appointment', item };
    const rowId = mode === 'room' ? item.roomId : item.clinicianId;
    ensureRow(rowId, () => (mode === 'room' ? item.roomName : staffName(item.clinicianId)));
    place(rowId, date, entry);
  }

  for (const list of cells.values()) list.sort((a, b) => startsAt(a).localeCompare(startsAt(b)));
  return { days, rows, cells };
}

/** How many days of the week the grid shows: Monday to Friday, or all seven. */
export type DaySpan = 5 | 7;

/** The row names' column and the narrowest readable day column, in rem. */
const ROW_HEAD_REM = 8;
const MIN_DAY_REM = 6.5;

/**
 * Whether `span` day columns fit a grid `widthPx` wide (rem = `remPx`);
 * otherwise the grid shows a day at a time. An unmeasured width (0) fits.
 */
export function fitsDays(widthPx: number, span: DaySpan, remPx = 16): boolean {
  if (widthPx <= 0) return true;
  return widthPx >= (ROW_HEAD_REM + span * MIN_DAY_REM) * remPx;
}

/** Monday to Friday, or the whole week, of `days` (Monday first). */
export function spanOf(days: readonly string[], span: DaySpan): string[] {
  return days.slice(0, span);
}

const SPAN_KEY = 'circle.schedule.daySpan.';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Storage can be switched off; the choice then lasts until the screen closes.
    return null;
  }
}

/** The person's chosen span on this computer (the whole week until they choose). */
export function savedSpan(staffId: number | undefined): DaySpan {
  if (staffId === undefined) return 7;
  return storage()?.getItem(`${SPAN_KEY}${staffId}`) === '5' ? 5 : 7;
}

/** Remembers the person's span for the next time they open the schedule. */
export function saveSpan(staffId: number | undefined, span: DaySpan): void {
  if (staffId === undefined) return;
  try {
    storage()?.setItem(`${SPAN_KEY}${staffId}`, String(span));
  } catch {
    // A full or refused storage only means the choice is not remembered.
  }
}
