/**
 * The audit trail in plain words. Rows hold codes and ids (never names or
 * note text); this turns them into sentences a practice manager can read,
 * resolving staff ids through the staff list.
 */
import type { AuditEntry } from '../../lib/api';
import { storedRoleWords } from '../staff/roles';

/** The category filter: each is a prefix of the action code. */
export const ACTION_CATEGORIES: readonly { value: string; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'session.', label: 'Sign-ins' },
  { value: 'staff.', label: 'Staff changes' },
  { value: 'vault.', label: 'Vault' },
  { value: 'practice.', label: 'Settings' },
  { value: 'client.', label: 'Client records' },
  { value: 'enrollment.', label: 'Rosters and waitlists' },
  { value: 'appointment.', label: 'Appointments' },
  { value: 'attendance.', label: 'Attendance' },
  { value: 'note.', label: 'Session notes' },
  { value: 'goal.', label: 'Goals' },
  { value: 'private_note.', label: 'Private notes' },
];

const SUMMARIES: Record<string, string> = {
  'vault.setup': 'Set up Circle',
  'vault.keys_rotated': 'Replaced the encryption keys',
  'vault.key_rotation_failed': 'Key rotation failed',
  'vault.key_rotation_finished': 'Key rotation finished at sign-in',
  'vault.key_delivery_refused': 'A key in keyring.json was refused',
  'vault.keyring_mismatch': "keyring.json did not match the vault's record",
  'session.unlock': 'Signed in',
  'session.unlock_failed': 'Failed sign-in',
  'session.recover': 'Signed in with the recovery code',
  'session.recover_failed': 'Recovery code attempt failed',
  'session.lock': 'Locked',
  'staff.added': 'Added a staff member',
  'staff.role_changed': 'Changed a role',
  'staff.passphrase_reset': 'Reset a passphrase',
  'staff.passphrase_changed': 'Changed their own passphrase',
  'staff.deactivated': 'Deactivated a staff member',
  'staff.clinical_access_granted': 'Gave access to the clinical records',
  'practice.settings_changed': 'Changed a setting',
  'vault.recovery_code_replaced': 'Created a new recovery code',
  'client.created': 'Added a client',
  'client.updated': "Changed a client's details",
  'client.viewed': "Opened a client's record",
  'client.searched': 'Searched the client list',
  'room.saved': 'Saved a room',
  'group.created': 'Created a group',
  'group.updated': 'Changed a group',
  'group.archived': 'Archived or restored a group',
  'enrollment.created': 'Enrolled a client',
  'enrollment.activated': 'Gave a waiting client a seat',
  'enrollment.discharged': 'Discharged a client from a group',
  'enrollment.waitlist_reordered': 'Reordered a waitlist',
  'enrollment.roster_viewed': 'Viewed a roster',
  'series.created': 'Scheduled a series of sessions',
  'series.updated': 'Changed a series',
  'session.moved': 'Moved a session',
  'session.cancelled': 'Cancelled a session',
  'appointment.booked': 'Booked an appointment',
  'appointment.moved': 'Moved an appointment',
  'appointment.cancelled': 'Cancelled an appointment',
  'availability.changed': "Changed a clinician's hours",
  'attendance.recorded': 'Recorded attendance',
  'schedule.viewed': 'Viewed the schedule',
  'staff.supervisor_changed': "Changed a clinician's supervisor",
  'note.viewed': 'Opened a session note',
  'note.draft_saved': 'Saved a session note draft',
  'note.signed': 'Signed a session note',
  'note.cosigned': 'Co-signed a session note',
  'note.addendum_signed': 'Signed an addendum to a session note',
  'note.chart_viewed': "Read a client's notes",
  'note.searched': 'Searched the notes',
  'goal.created': 'Added a goal',
  'goal.updated': 'Changed a goal',
  'goal.viewed': "Read a client's goals",
  'private_note.viewed': 'Opened their own private note',
  'private_note.saved': 'Saved their own private note',
};

const SETTINGS: Record<string, (value: string) => string> = {
  idle_lock_minutes: (value) =>
    `automatic lock after ${value} ${value === '1' ? 'minute' : 'minutes'}`,
  notes_scope_limited: (value) =>
    value === 'true'
      ? "clinicians read only their own groups' clients' notes"
      : "clinicians read every client's notes",
};

/** The vault's database files, as the core names them in details. */
const DATABASES: Record<string, string> = {
  'practice.db': 'practice records (practice.db)',
  'clinical.db': 'clinical records (clinical.db)',
};

export type TimeFormatter = (iso: string) => string;

export interface ActionWords {
  /** What happened, e.g. "Changed a role". */
  summary: string;
  /** The particulars, e.g. "clinician → front desk", when there are any. */
  detail: string | null;
}

/**
 * Formats instants like "Tue 3 Mar 2026, 18:00" in the person's locale and
 * the practice's time zone. An unknown zone falls back to this computer's.
 */
export function timeFormatter(timezone: string | null, locale?: string): TimeFormatter {
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  };
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: timezone ?? undefined });
  } catch {
    format = new Intl.DateTimeFormat(locale, options);
  }
  return (iso: string) => {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    const parts = format.formatToParts(date);
    // "Tue, 3 Mar" reads as "Tue 3 Mar": no comma straight after the weekday.
    return parts
      .map((part, i) =>
        part.type === 'literal' && parts[i - 1]?.type === 'weekday' && part.value === ', '
          ? ' '
          : part.value,
      )
      .join('');
  };
}

function describeDetail(action: string, detail: string, formatTime: TimeFormatter): string {
  switch (action) {
    case 'staff.added': {
      const role = /^role=(.+)$/.exec(detail);
      return role ? `as ${storedRoleWords(role[1])}` : detail;
    }
    case 'staff.role_changed': {
      const change = /^(.+?)->(.+)$/.exec(detail);
      return change ? `${storedRoleWords(change[1])} → ${storedRoleWords(change[2])}` : detail;
    }
    case 'vault.keys_rotated':
      if (detail === 'practice+clinical') return 'practice and clinical records';
      if (detail === 'practice') return 'practice records only; not the clinical records';
      return detail;
    case 'practice.settings_changed': {
      const setting = /^([a-z_]+)=(.*)$/.exec(detail);
      const words = setting ? SETTINGS[setting[1]] : undefined;
      return setting && words ? words(setting[2]) : detail;
    }
    case 'session.unlock_failed': {
      const attempt = /^(unknown username, )?attempted at (.+)$/.exec(detail);
      if (!attempt) return detail;
      const when = `tried ${formatTime(attempt[2])}`;
      return attempt[1] ? `unknown username, ${when}` : when;
    }
    case 'session.recover_failed': {
      const attempt = /^attempted at (.+)$/.exec(detail);
      return attempt ? `tried ${formatTime(attempt[1])}` : detail;
    }
    case 'vault.key_rotation_failed':
      if (detail === 'finishes at next sign-in') return 'it finishes at the next sign-in';
      return detail;
    case 'vault.key_rotation_finished':
    case 'vault.key_delivery_refused':
      return DATABASES[detail] ?? detail;
    case 'vault.keyring_mismatch':
      if (detail === 'login') return 'a staff login, found while replacing the keys; nothing changed';
      if (detail === 'recovery') {
        return "the recovery code's login, found while replacing the keys; nothing changed";
      }
      return detail;
    default:
      return detail;
  }
}

/** An action code and its detail in plain English. Unknown codes show as they are. */
export function describeAction(
  entry: Pick<AuditEntry, 'action' | 'detail'>,
  formatTime: TimeFormatter,
): ActionWords {
  const summary = SUMMARIES[entry.action] ?? entry.action;
  const detail = entry.detail ? describeDetail(entry.action, entry.detail, formatTime) : null;
  return { summary, detail };
}

/** Who did it: a name from the staff list, "#id" if unknown, "—" for nobody. */
export function describeActor(actorId: number | null, names: ReadonlyMap<number, string>): string {
  if (actorId === null) return '—';
  return names.get(actorId) ?? `#${actorId}`;
}

/** What it concerned, e.g. "Staff: Dana Reyes"; "—" when nothing in particular. */
export function describeEntity(
  entry: Pick<AuditEntry, 'entityKind' | 'entityId'>,
  names: ReadonlyMap<number, string>,
): string {
  const { entityKind: kind, entityId: id } = entry;
  if (!kind) return id === null ? '—' : `#${id}`;
  const label = kind.charAt(0).toUpperCase() + kind.slice(1).replace(/_/g, ' ');
  if (id === null) return label;
  if (kind === 'staff') {
    const name = names.get(id);
    if (name) return `Staff: ${name}`;
  }
  return `${label} #${id}`;
}
