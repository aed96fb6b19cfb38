/**
 * Words and symbols the Clients screen shows for what Rust sends: statuses
 * as words (each with a symbol, so colour is never the only signal), dates
 * with their year where the year matters, and a client's age.
 */
import type {
  AppointmentKind,
  AttendanceStatus,
  Client,
  ClientInput,
  ClientStatus,
  Completion,
  Enrollment,
  NameOrder,
} from '../../lib/api';
import { ATTENDANCE_WORDS, NOT_RECORDED } from '../../lib/attendance';
import { DISCHARGE_REASON_WORDS } from '../../lib/discharge';
import type { StatusWord } from '../../lib/components/StatusTag.svelte';
import {
  formatDate,
  formatDateWithYear,
  formatDayWithYear,
  formatInstant,
  formatInstantTime,
  localDateOf,
} from '../../lib/datetime';

export type { StatusWord, Tone } from '../../lib/components/StatusTag.svelte';

export const CLIENT_STATUSES: readonly ClientStatus[] = ['prospect', 'active', 'discharged'];

export const CLIENT_STATUS: Record<ClientStatus, StatusWord> = {
  prospect: { word: 'Prospect', symbol: '◇', tone: 'info' },
  active: { word: 'Active', symbol: '●', tone: 'success' },
  discharged: { word: 'Discharged', symbol: '○', tone: 'muted' },
};

export function isClientStatus(value: string): value is ClientStatus {
  return (CLIENT_STATUSES as readonly string[]).includes(value);
}

export const SESSION_CANCELLED: StatusWord = {
  word: 'Session cancelled',
  symbol: '⊘',
  tone: 'muted',
};

/** A line of the client's attendance: the session's cancellation, or what was recorded. */
export function attendanceWord(status: AttendanceStatus | null, cancelled: boolean): StatusWord {
  if (cancelled) return SESSION_CANCELLED;
  return status ? ATTENDANCE_WORDS[status] : NOT_RECORDED;
}

export const APPOINTMENT_KIND: Record<AppointmentKind, string> = {
  intake: 'Intake',
  checkIn: 'Check-in',
};

/** "1,234" in the person's locale. */
export function formatCount(value: number): string {
  return new Intl.NumberFormat().format(value);
}

/** "27 Mar 1984" ("Mar 27, 1984" in en-US): a date where the year matters (a birthday). */
export function formatBirthDate(date: string): string {
  return formatDateWithYear(date);
}

/** Whole years from `dateOfBirth` to `today` (both "YYYY-MM-DD"), or null. */
export function ageOn(dateOfBirth: string, today: string): number | null {
  const born = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  const now = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!born || !now) return null;
  let age = Number(now[1]) - Number(born[1]);
  if (now[2] + now[3] < born[2] + born[3]) age -= 1;
  return age >= 0 ? age : null;
}

/** "Tue 3 Mar", with the year added when it is not `today`'s year. */
export function formatDay(date: string, today: string): string {
  return date.slice(0, 4) === today.slice(0, 4) ? formatDate(date) : formatDayWithYear(date);
}

/** "Tue 3 Mar, 18:00" in the practice's zone, with the year when it is not this year's. */
export function formatWhen(instant: string, tz: string, today: string): string {
  const date = localDateOf(instant, tz);
  if (date === '' || date.slice(0, 4) === today.slice(0, 4)) return formatInstant(instant, tz);
  return `${formatDay(date, today)}, ${formatInstantTime(instant, tz)}`;
}

/** Where a client stands in a group, in words. */
export function enrollmentText(enrollment: Enrollment, today: string): string {
  switch (enrollment.status) {
    case 'active':
      return enrollment.enrolledOn
        ? `Active since ${formatDay(enrollment.enrolledOn, today)}`
        : 'Active';
    case 'waitlisted':
      return enrollment.waitlistPlace !== null
        ? `Waitlisted, place ${enrollment.waitlistPlace}`
        : 'Waitlisted';
    case 'discharged': {
      const on = enrollment.dischargedOn
        ? `Discharged on ${formatDay(enrollment.dischargedOn, today)}`
        : 'Discharged';
      const reason = enrollment.dischargeReason;
      return reason ? `${on} — ${DISCHARGE_REASON_WORDS[reason]}` : on;
    }
  }
}

export const ENROLLMENT_SYMBOL: Record<Enrollment['status'], StatusWord> = {
  active: { word: 'Active', symbol: '●', tone: 'success' },
  waitlisted: { word: 'Waitlisted', symbol: '◷', tone: 'warning' },
  discharged: { word: 'Discharged', symbol: '○', tone: 'muted' },
};

/** "9 of 12 attended". */
export function completionText(completion: Completion): string {
  return `${completion.attended} of ${completion.booked} attended`;
}

/** The order a client's name is written in, as the form offers it. */
export const NAME_ORDERS: readonly { value: NameOrder; label: string }[] = [
  { value: 'givenFirst', label: 'Given name first' },
  { value: 'familyFirst', label: 'Family name first' },
];

export function isNameOrder(value: string): value is NameOrder {
  return NAME_ORDERS.some((order) => order.value === value);
}

/** The form's text, as typed. */
export interface ClientDraft {
  legalFirstName: string;
  middleName: string;
  legalLastName: string;
  preferredName: string;
  /** A `NameOrder` (the select offers nothing else). */
  nameOrder: string;
  pronouns: string;
  dateOfBirth: string;
  phone: string;
  email: string;
  emergencyName: string;
  emergencyPhone: string;
  /** A `ClientStatus` (the select offers nothing else). */
  status: string;
}

export const CLIENT_FIELDS = [
  'legalFirstName',
  'middleName',
  'legalLastName',
  'preferredName',
  'nameOrder',
  'pronouns',
  'dateOfBirth',
  'phone',
  'email',
  'emergencyName',
  'emergencyPhone',
  'status',
] as const;

export function emptyDraft(): ClientDraft {
  return {
    legalFirstName: '',
    middleName: '',
    legalLastName: '',
    preferredName: '',
    nameOrder: 'givenFirst',
    pronouns: '',
    dateOfBirth: '',
    phone: '',
    email: '',
    emergencyName: '',
    emergencyPhone: '',
    status: 'prospect',
  };
}

export function draftOf(client: Client): ClientDraft {
  return {
    legalFirstName: client.legalFirstName,
    middleName: client.middleName ?? '',
    legalLastName: client.legalLastName,
    preferredName: client.preferredName ?? '',
    nameOrder: client.nameOrder,
    pronouns: client.pronouns ?? '',
    dateOfBirth: client.dateOfBirth ?? '',
    phone: client.phone ?? '',
    email: client.email ?? '',
    emergencyName: client.emergencyName ?? '',
    emergencyPhone: client.emergencyPhone ?? '',
    status: client.status,
  };
}

/** What the command takes: text trimmed, empty optional fields as nothing. */
export function inputOf(draft: ClientDraft): ClientInput {
  const optional = (value: string) => (value.trim() === '' ? null : value.trim());
  return {
    legalFirstName: draft.legalFirstName.trim(),
    middleName: optional(draft.middleName),
    legalLastName: draft.legalLastName.trim(),
    preferredName: optional(draft.preferredName),
    nameOrder: isNameOrder(draft.nameOrder) ? draft.nameOrder : 'givenFirst',
    pronouns: optional(draft.pronouns),
    dateOfBirth: optional(draft.dateOfBirth),
    phone: optional(draft.phone),
    email: optional(draft.email),
    emergencyName: optional(draft.emergencyName),
    emergencyPhone: optional(draft.emergencyPhone),
    status: isClientStatus(draft.status) ? draft.status : 'prospect',
  };
}
