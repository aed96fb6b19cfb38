/**
 * Words for the schedule's values, shared by Today, Schedule and any screen
 * that shows appointments. Attendance has its own module (`attendance.ts`).
 */
import type { AppointmentKind, GroupFormat, GroupSession, Repeat, StaffMember } from './api';

export const APPOINTMENT_KIND_LABELS: Record<AppointmentKind, string> = {
  intake: 'Intake screening',
  checkIn: 'Check-in',
};

/** The formats of one clinician's sessions with their own clients (not a group). */
export type PairingFormat = Exclude<GroupFormat, 'group'>;

/** What an individual or family/couple session is called wherever it shows. */
export const PAIRING_LABELS: Record<PairingFormat, string> = {
  individual: 'Individual session',
  family: 'Family/couple session',
};

/** How often a booked individual or family/couple session comes back. */
export const REPEAT_LABELS: Record<Repeat, string> = {
  once: 'Does not repeat',
  weekly: 'Weekly',
  fortnightly: 'Every two weeks',
};

/** An individual or family/couple session: it has no group page of its own. */
export function isPairing(session: Pick<GroupSession, 'format'>): boolean {
  return session.format !== 'group';
}

/**
 * What a session is called in lists, grids and dialog titles: its group's
 * name, or "Individual session · Kwame Mensah" / "Family/couple session ·
 * Ana Reyes, Luis Reyes" (the names as Rust sends them).
 */
export function sessionTitle(
  session: Pick<GroupSession, 'groupName'> & Partial<Pick<GroupSession, 'format' | 'clientNames'>>,
): string {
  // Lists that do not say the format yet (older shapes) read as before: the group's name.
  if (session.format === undefined || session.format === 'group') return session.groupName;
  const label = PAIRING_LABELS[session.format];
  const names = session.clientNames ?? [];
  return names.length === 0 ? label : `${label} · ${names.join(', ')}`;
}

/**
 * Active colleagues who can facilitate or take appointments (Rust marks
 * their role clinical), by name.
 */
export function clinicalStaff(staff: readonly StaffMember[]): StaffMember[] {
  return staff
    .filter((member) => member.active && member.clinical)
    .sort((a, b) => a.fullName.localeCompare(b.fullName));
}

/** "1 person", "3 people"-style counting. */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
