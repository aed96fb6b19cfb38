/**
 * Who may co-sign whose notes. Rust checks the same rules
 * (`staff::set_supervisor`); this only decides what the select offers.
 */
import type { StaffMember } from '../../lib/api';
import { roleFacts } from './roles';

export const NO_SUPERVISOR_LABEL = 'No supervisor (signs alone)';

/** Whether `member` writes notes, and so may have a supervisor. */
export function needsSupervisorChoice(member: StaffMember): boolean {
  return member.active && member.clinical;
}

export interface SupervisorOption {
  value: string;
  label: string;
}

/**
 * The choices for `member`: signing alone, then every active supervisor or
 * owner but themselves, by name. A saved supervisor who no longer
 * qualifies (deactivated, or now in another role) stays listed, marked, so
 * the select still shows what is saved.
 */
export function supervisorOptions(
  member: StaffMember,
  staff: readonly StaffMember[],
): SupervisorOption[] {
  const eligible = staff
    .filter((m) => m.id !== member.id && m.active && roleFacts(m.role).maySupervise)
    .sort((a, b) => a.fullName.localeCompare(b.fullName, undefined, { sensitivity: 'base' }));
  const options: SupervisorOption[] = [
    { value: '', label: NO_SUPERVISOR_LABEL },
    ...eligible.map((m) => ({ value: String(m.id), label: m.fullName })),
  ];
  const current = member.supervisorId;
  if (current !== null && !eligible.some((m) => m.id === current)) {
    const saved = staff.find((m) => m.id === current);
    const label = !saved
      ? 'Someone no longer listed'
      : !saved.active
        ? `${saved.fullName} (deactivated)`
        : `${saved.fullName} (no longer a supervisor)`;
    options.push({ value: String(current), label });
  }
  return options;
}
