/**
 * How roles read on screen. The core decides what each role may do
 * (DESIGN.md, "Roles"); this only names them and says it in plain words.
 */
import { ROLE_FACTS } from '../../lib/api';
import type { Role, RoleFacts } from '../../lib/api';

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

/**
 * What Rust says about a role: whether it is clinical (its login holds the
 * key to the clinical records) and whether it may supervise. An unknown role
 * (none should reach here) is neither.
 */
export function roleFacts(role: Role): RoleFacts {
  return (
    ROLE_FACTS.find((facts) => facts.role === role) ?? {
      role,
      label: role,
      clinical: false,
      maySupervise: false,
    }
  );
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
