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
