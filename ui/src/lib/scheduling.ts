/**
 * Words for the schedule's values, shared by Today, Schedule and any screen
 * that shows appointments. Attendance has its own module (`attendance.ts`).
 */
import type { AppointmentKind, StaffMember } from './api';

export const APPOINTMENT_KIND_LABELS: Record<AppointmentKind, string> = {
  intake: 'Intake screening',
  checkIn: 'Check-in',
};

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
