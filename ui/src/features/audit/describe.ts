/**
 * The audit trail in plain words. Rows hold codes and ids (never names or
 * note text); this turns them into sentences a practice manager can read,
 * resolving staff ids through the staff list.
 */
import type { AuditEntry } from '../../lib/api';
import { ATTENDANCE_WORDS } from '../../lib/attendance';
import { formatDayWithYear, formatInstantWithYear, localTimeZoneOr } from '../../lib/datetime';
import { DISCHARGE_REASON_WORDS } from '../../lib/discharge';
import { displayLocale } from '../../lib/locale.svelte';
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
  { value: 'consent.', label: 'Consents (42 CFR Part 2)' },
  { value: 'disclosure.', label: 'Accounting of disclosures' },
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
  'client.import_checked': 'Checked a client list for import',
  'client.imported': 'Imported clients',
  'retention.reviewed': 'Reviewed records due for purging',
  'client.purged': "Purged a client's records for good",
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
  'appointment.attendance_recorded': 'Recorded attendance at an appointment',
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
  'note.listed': 'Listed the recently signed notes',
  'note.discharge_note_written': "Wrote the clinical note of a client's discharge",
  'goal.created': 'Added a goal',
  'goal.updated': 'Changed a goal',
  'goal.viewed': "Read a client's goals",
  'export.created': 'Exported a PDF',
  'export.verified': 'Checked a PDF against what Circle released',
  'private_note.viewed': 'Opened their own private note',
  'private_note.saved': 'Saved their own private note',
  'consent.added': "Recorded a client's consent to release their record",
  'consent.revoked': "Recorded the revocation of a client's consent",
  'consent.viewed': "Read a client's consents",
  'disclosure.viewed': "Read a client's accounting of disclosures",
  'measure.entered': 'Entered an outcome measure (PHQ-9 or GAD-7)',
  'measure.viewed': "Read a client's outcome measures",
  'measure.risk_acknowledged': 'Acknowledged a PHQ-9 risk answer with a safety note',
};

const SETTINGS: Record<string, (value: string) => string> = {
  idle_lock_minutes: (value) =>
    `automatic lock after ${value} ${value === '1' ? 'minute' : 'minutes'}`,
  notes_scope_limited: (value) =>
    value === 'true'
      ? "clinicians read only their own groups' clients' notes"
      : "clinicians read every client's notes",
  locale: (value) => `dates and times written as in ${localeName(value)}`,
  letterhead: () => 'the address and phone on exported PDFs',
  logo: (value) => (value === 'removed' ? 'no logo on exported PDFs' : 'a new logo on exported PDFs'),
};

/** "English (Ireland)" for "en-IE"; the tag itself where Intl cannot name it. */
export function localeName(tag: string): string {
  try {
    const names = new Intl.DisplayNames(['en'], { type: 'language', languageDisplay: 'standard' });
    return names.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** "sessions=3 full=0" → { sessions: "3", full: "0" }; words without "=" are skipped. */
function fieldsOf(detail: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const word of detail.split(/\s+/)) {
    const at = word.indexOf('=');
    if (at > 0) fields[word.slice(0, at)] = word.slice(at + 1);
  }
  return fields;
}

/** "1 session", "3 sessions". */
function counted(value: string | undefined, one: string, many = `${one}s`): string | null {
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return `${value} ${value === '1' ? one : many}`;
}

/** A client, group or person by id: the audit never holds their names. */
function record(kind: string, id: string | undefined): string | null {
  return id && /^\d+$/.test(id) ? `${kind} #${id}` : null;
}

/** "snake_case" codes as words: "no_show" → "no show". */
function codeWords(code: string): string {
  return code.replace(/_/g, ' ');
}

function camel(code: string): string {
  return code.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Sentences from the parts that are there; the detail as it is when none are. */
function sentence(parts: (string | null | false | undefined)[], detail: string): string {
  const said = parts.filter((part): part is string => typeof part === 'string' && part !== '');
  if (said.length === 0) return detail;
  const text = said.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Client record fields as the core names them in `fields=`. */
const CLIENT_FIELD_WORDS: Record<string, string> = {
  legalFirstName: 'legal first name',
  legalLastName: 'legal last name',
  middleName: 'middle name',
  preferredName: 'preferred name',
  nameOrder: 'name order',
  pronouns: 'pronouns',
  dateOfBirth: 'date of birth',
  phone: 'phone',
  email: 'email',
  emergencyName: 'emergency contact',
  emergencyPhone: 'emergency phone',
  status: 'status',
};

/** What part of a client's record was opened (`client.viewed`). */
const VIEWED_PARTS: Record<string, string> = {
  appointments: 'their appointments',
  completion: 'their series completion',
  attendance: 'their attendance',
  enrollments: 'their groups',
};

function ids(list: string, names: ReadonlyMap<number, string>): string {
  const people = list
    .split(',')
    .filter((id) => /^\d+$/.test(id))
    .map((id) => names.get(Number(id)) ?? `#${id}`);
  return people.length === 0 ? 'none' : people.join(', ');
}

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
  const zone = localTimeZoneOr(timezone);
  return (iso: string) => formatInstantWithYear(iso, zone, locale ?? displayLocale());
}

function describeDetail(
  action: string,
  detail: string,
  formatTime: TimeFormatter,
  names: ReadonlyMap<number, string>,
): string {
  const f = fieldsOf(detail);
  switch (action) {
    case 'schedule.viewed': {
      if (!f.from) return detail;
      const from = formatDayWithYear(f.from);
      if (f.days === '1') return `the day ${from}`;
      const days = counted(f.days, 'day');
      return days ? `${days} from ${from}` : `from ${from}`;
    }
    case 'series.created': {
      const n = counted(f.sessions, 'session');
      const group = record('group', f.group);
      if (!n) return detail;
      return group ? `${n} for ${group}` : n;
    }
    case 'series.updated': {
      const n = counted(f.sessions, 'session');
      return n ? `${n} changed` : detail;
    }
    case 'enrollment.created':
    case 'enrollment.activated': {
      const booked = counted(f.sessions, 'session');
      return sentence(
        [
          record('client', f.client),
          record('group', f.group) && `into ${record('group', f.group)}`,
          booked && `booked into ${booked}`,
          f.full !== undefined &&
            f.full !== '0' &&
            `${counted(f.full, 'session was', 'sessions were')} already full`,
        ],
        detail,
      );
    }
    case 'enrollment.discharged': {
      const reason = f.reason
        ? DISCHARGE_REASON_WORDS[camel(f.reason) as keyof typeof DISCHARGE_REASON_WORDS]
        : undefined;
      const released = counted(f.sessions_released, 'session');
      return sentence(
        [
          reason && `reason: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`,
          released && `left ${released} still to come`,
          f.clinical_note === 'true' && 'with a clinical note',
        ],
        detail,
      );
    }
    case 'attendance.recorded': {
      const status = f.status
        ? ATTENDANCE_WORDS[camel(f.status) as keyof typeof ATTENDANCE_WORDS]?.word
        : undefined;
      const client = record('client', f.client);
      if (!client || !status) return detail;
      return `${client}: ${status.toLowerCase()}`;
    }
    case 'appointment.attendance_recorded': {
      const status = f.status
        ? ATTENDANCE_WORDS[camel(f.status) as keyof typeof ATTENDANCE_WORDS]?.word
        : undefined;
      return status ? status.toLowerCase() : detail;
    }
    case 'appointment.booked':
      return record('client', f.client) ? `for ${record('client', f.client)}` : detail;
    case 'client.created':
      return f.status ? `as a ${codeWords(f.status)}` : detail;
    case 'client.updated': {
      if (f.by === 'roster' && f.status) {
        return `status became ${codeWords(f.status)}, following the roster`;
      }
      if (!f.fields) return detail;
      const changed = f.fields
        .split(',')
        .map((field) => CLIENT_FIELD_WORDS[field] ?? codeWords(field));
      return `changed ${changed.join(', ')}`;
    }
    case 'client.viewed':
      return VIEWED_PARTS[detail] ?? detail;
    case 'client.searched':
      return counted(f.total, 'client') ? `${counted(f.total, 'client')} found` : detail;
    case 'client.import_checked': {
      const rows = counted(f.rows, 'row');
      return rows && /^\d+$/.test(f.ready ?? '') ? `${rows}, ${f.ready} ready` : detail;
    }
    case 'client.imported':
      return counted(f.count, 'client') ?? detail;
    case 'enrollment.roster_viewed':
      return detail === 'completion' ? 'with series completion' : detail;
    case 'group.created':
      return detail.startsWith('facilitators ')
        ? `facilitators: ${ids(detail.slice('facilitators '.length), names)}`
        : detail;
    case 'group.updated': {
      const change = /^facilitators (.*)->(.*)$/.exec(detail);
      return change ? `facilitators: ${ids(change[1], names)} → ${ids(change[2], names)}` : detail;
    }
    case 'group.archived':
      return f.archived === 'true' ? 'archived' : f.archived === 'false' ? 'restored' : detail;
    case 'staff.supervisor_changed':
      if (f.supervisor === 'none') return 'no supervisor';
      return f.supervisor ? `supervisor: ${ids(f.supervisor, names)}` : detail;
    case 'note.signed': {
      const state = /^(signed|awaiting co-signature)\b/.exec(detail)?.[1];
      return sentence(
        [
          state === 'awaiting co-signature' ? 'signed, waiting for a co-signature' : state,
          f.hash && `content fingerprint ${f.hash.slice(0, 12)}…`,
        ],
        detail,
      );
    }
    case 'note.cosigned':
      return f.hash ? `Content fingerprint ${f.hash.slice(0, 12)}…` : detail;
    case 'note.addendum_signed': {
      const member = /member client=(\d+)/.exec(detail);
      const part = member
        ? `${record('client', member[1])}'s part`
        : /(^| )shared( |$)/.test(detail)
          ? 'the shared part'
          : null;
      const addendum = record('addendum', f.addendum);
      return sentence(
        [
          addendum && (part ? `${addendum} to ${part}` : addendum),
          f.hash && `content fingerprint ${f.hash.slice(0, 12)}…`,
        ],
        detail,
      );
    }
    case 'note.draft_saved':
      return f.revision ? `revision ${f.revision}` : detail;
    case 'note.searched':
      return counted(f.results, 'result') ?? detail;
    case 'note.listed':
      return f.results ? `${counted(f.results, 'recently signed note')} listed` : detail;
    case 'note.chart_viewed':
      if (f.notes) return counted(f.notes, 'note') ?? detail;
      return f.discharge_notes ? (counted(f.discharge_notes, 'discharge note') ?? detail) : detail;
    case 'goal.created':
    case 'goal.updated':
      return record('goal', f.goal) ?? detail;
    case 'consent.added':
    case 'consent.revoked':
      return record('consent', f.consent) ?? detail;
    case 'consent.viewed':
      return counted(f.consents, 'consent') ?? detail;
    case 'disclosure.viewed':
      return counted(f.disclosures, 'release') ?? detail;
    case 'private_note.viewed':
    case 'private_note.saved':
      return record('client', f.client) ? `about ${record('client', f.client)}` : detail;
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
    case 'client.purged':
      // The record number only: nothing else of the client is left.
      return f.record ? `record ${f.record}` : detail;
    case 'practice.settings_changed': {
      if (f.timezone) {
        const kept = [
          counted(f.sessions_kept, 'session'),
          counted(f.appointments_kept, 'appointment'),
        ]
          .filter((part) => part !== null && !part.startsWith('0 '))
          .join(' and ');
        const moved = f.from ? `time zone ${f.from} → ${f.timezone}` : `time zone ${f.timezone}`;
        return kept ? `${moved}; ${kept} still to come kept their local time` : moved;
      }
      if (f.retention_years) {
        const minors = f.retention_minor_years
          ? `; minors until ${f.retention_minor_years} years after they turn 18`
          : '';
        return `records kept ${f.retention_years} years after the last contact${minors}`;
      }
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
  names: ReadonlyMap<number, string> = new Map(),
): ActionWords {
  const summary = SUMMARIES[entry.action] ?? entry.action;
  const detail = entry.detail ? describeDetail(entry.action, entry.detail, formatTime, names) : null;
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
