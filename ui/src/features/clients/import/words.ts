/**
 * What the import screen says about what Rust reports: the client form's
 * fields in words, why a column is left out, the summary line, rejected
 * rows and likely duplicates. Kept apart from the components so the
 * wording is tested on its own.
 */
import type {
  DateOrder,
  DuplicateRow,
  ImportField,
  ImportReport,
  LeftOut,
  RejectedRow,
} from '../../../lib/api';
import { formatBirthDate, formatCount } from '../format';

/** Every field a column can fill, in the client form's order. */
export const IMPORT_FIELDS: readonly ImportField[] = [
  'legalFirstName',
  'middleName',
  'legalLastName',
  'preferredName',
  'pronouns',
  'dateOfBirth',
  'phone',
  'email',
  'emergencyName',
  'emergencyPhone',
  'status',
];

/** The field in the words the client form uses (the core's `field_words`). */
export const FIELD_WORDS: Record<ImportField, string> = {
  legalFirstName: 'legal first name',
  middleName: 'middle name',
  legalLastName: 'legal last name',
  preferredName: 'preferred name',
  pronouns: 'pronouns',
  dateOfBirth: 'date of birth',
  phone: 'phone number',
  email: 'email address',
  emergencyName: "emergency contact's name",
  emergencyPhone: "emergency contact's phone number",
  status: 'status',
};

/** The value of the "Not imported" choice in a column's select. */
export const NOT_IMPORTED = '';

/** A column's select: "Not imported", then each field. */
export const COLUMN_OPTIONS: readonly { value: string; label: string }[] = [
  { value: NOT_IMPORTED, label: 'Not imported' },
  ...IMPORT_FIELDS.map((field) => ({ value: field, label: capitalised(FIELD_WORDS[field]) })),
];

export const LEFT_OUT_WORDS: Record<LeftOut, string> = {
  notes: 'Notes are never imported',
  address: 'Circle keeps no postal address',
  recordNumber: 'Circle gives its own record numbers',
  unknown: 'Not imported',
};

export const DATE_ORDER_WORDS: Record<DateOrder, string> = {
  dayMonthYear: 'day/month/year',
  monthDayYear: 'month/day/year',
};

export function isImportField(value: string): value is ImportField {
  return (IMPORT_FIELDS as readonly string[]).includes(value);
}

export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** "4 rows: 3 ready to import, 1 not imported, 0 likely duplicates". */
export function summaryLine(report: ImportReport): string {
  return (
    `${plural(report.rows, 'row')}: ${formatCount(report.ready)} ready to import, ` +
    `${formatCount(report.rejected.length)} not imported, ` +
    `${plural(report.duplicates.length, 'likely duplicate')}`
  );
}

/** "Import 3 clients". */
export function importLabel(ready: number): string {
  return `Import ${plural(ready, 'client')}`;
}

/** "Imported 3 clients." */
export function importedLine(imported: number): string {
  return `Imported ${plural(imported, 'client')}.`;
}

/**
 * The column a refusal is about: the file's header, or (when no column
 * fills the field, e.g. no last-name column at all) the field in words.
 */
export function rejectedColumn(row: RejectedRow): string {
  if (row.column === row.field && isImportField(row.field)) {
    return capitalised(FIELD_WORDS[row.field]);
  }
  return row.column;
}

/** "Line 14 — Date of birth: “31/02/1990” is not a date …". */
export function rejectedLine(row: RejectedRow): string {
  return `Line ${row.line} — ${rejectedColumn(row)}: ${row.reason}`;
}

/** The date of birth of a likely duplicate, in words. */
export function duplicateBirth(row: DuplicateRow): string {
  return row.dateOfBirth ? `born ${formatBirthDate(row.dateOfBirth)}` : 'no date of birth';
}

/** Who a likely duplicate may be: existing clients, then earlier lines of the file. */
export function duplicateMatches(row: DuplicateRow): string[] {
  return [
    ...row.existing.map((client) => `${client.displayName} (${client.recordNumber})`),
    ...row.earlierLines.map((line) => `line ${line} of this file`),
  ];
}

/**
 * A date of the file that reads both ways ("03/04/1985"), to ask about, or
 * null when the preview shows none. `cells` are the date column's cells.
 */
export function ambiguousDate(cells: readonly string[]): string | null {
  for (const cell of cells) {
    const parts = /^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*$/.exec(cell);
    if (!parts) continue;
    const [a, b] = [Number(parts[1]), Number(parts[2])];
    if (a >= 1 && a <= 12 && b >= 1 && b <= 12 && a !== b) return cell.trim();
  }
  return null;
}

/** "3 April 1985" for "03/04/1985" read in `order`, or null if it is no date. */
export function readAs(text: string, order: DateOrder): string | null {
  const parts = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(text);
  if (!parts) return null;
  const [a, b, year] = [Number(parts[1]), Number(parts[2]), parts[3]];
  const [day, month] = order === 'dayMonthYear' ? [a, b] : [b, a];
  if (day < 1 || day > 31 || month < 1 || month > 12) return null;
  const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return formatBirthDate(iso);
}
