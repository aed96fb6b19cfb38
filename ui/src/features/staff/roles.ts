/**
 * How roles read on screen. The core decides what each role may do
 * (DESIGN.md, "Roles"); this only names them and says it in plain words.
 */
import type { Role } from '../../lib/api';

export const ROLES: readonly Role[] = ['owner', 'clinician', 'supervisor', 'manager', 'frontDesk'];

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  clinician: 'Clinician',
  supervisor: 'Supervisor',
  manager: 'Practice manager',
  frontDesk: 'Front desk',
};

/** One sentence per role, shown under the role picker. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'Can do everything: notes, signing and co-signing, staff, settings and the audit trail.',
  clinician: "Reads and writes notes for their own groups' clients and signs them.",
  supervisor: 'Reads and writes all notes, signs them and co-signs supervisees’ notes.',
  manager: 'Manages staff, settings and the audit trail. Cannot read notes.',
  frontDesk: 'Books clients, keeps the schedule and checks people in. Cannot read notes.',
};

/** Roles whose login holds the key to the clinical records. */
export function isClinical(role: Role): boolean {
  return role === 'owner' || role === 'clinician' || role === 'supervisor';
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * A role as the audit log stores it (`front_desk`), in lower case for use
 * mid-sentence ("clinician → front desk"). Unknown names come back as they are.
 */
export function storedRoleWords(stored: string): string {
  const role = stored === 'front_desk' ? 'frontDesk' : stored;
  return isRole(role) ? ROLE_LABELS[role].toLowerCase() : stored;
}
