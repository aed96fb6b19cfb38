/**
 * Words for the schedule's values, shared by Today, Schedule and any screen
 * that shows appointments or attendance. Status words always travel with a
 * symbol so they never rely on colour.
 */
import type { AppointmentKind, AttendanceStatus, Role, StaffMember } from './api';

export const APPOINTMENT_KIND_LABELS: Record<AppointmentKind, string> = {
  intake: 'Intake screening',
  checkIn: 'Check-in',
};

export interface StatusLook {
  /** The word, e.g. "No-show". */
  label: string;
  /** A symbol that says the same without colour. */
  symbol: string;
  /** Which of the token status colours it takes. */
  tone: 'success' | 'warning' | 'danger' | 'info';
}

export const ATTENDANCE_LOOKS: Record<AttendanceStatus, StatusLook> = {
  present: { label: 'Present', symbol: '✓', tone: 'success' },
  late: { label: 'Late', symbol: '◔', tone: 'warning' },
  leftEarly: { label: 'Left early', symbol: '◑', tone: 'warning' },
  absentExcused: { label: 'Excused', symbol: '○', tone: 'info' },
  noShow: { label: 'No-show', symbol: '✕', tone: 'danger' },
  cancelledLate: { label: 'Late cancel', symbol: '⊘', tone: 'danger' },
};

/** The order the check-in buttons come in. */
export const ATTENDANCE_ORDER: readonly AttendanceStatus[] = [
  'present',
  'late',
  'leftEarly',
  'absentExcused',
  'noShow',
  'cancelledLate',
];

/** Roles that see clients: they facilitate groups and take appointments. */
export const CLINICAL_ROLES: readonly Role[] = ['owner', 'clinician', 'supervisor'];

/** Active colleagues who can facilitate or take appointments, by name. */
export function clinicalStaff(staff: readonly StaffMember[]): StaffMember[] {
  return staff
    .filter((member) => member.active && CLINICAL_ROLES.includes(member.role))
    .sort((a, b) => a.fullName.localeCompare(b.fullName));
}

/** "1 person", "3 people"-style counting. */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
