import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../lib/api';
import { describeAction, timeFormatter } from '../../audit/describe';
import {
  ambiguousDate,
  importLabel,
  importedLine,
  readAs,
  rejectedLine,
  summaryLine,
} from './words';

function report(overrides: Partial<ImportReport>): ImportReport {
  return {
    encoding: 'UTF-8',
    separator: 'commas',
    layout: null,
    columns: [],
    missing: [],
    preview: [],
    datesFound: 'notNeeded',
    dateOrder: null,
    rows: 0,
    ready: 0,
    rejected: [],
    duplicates: [],
    imported: 0,
    ...overrides,
  };
}

describe('import wording', () => {
  it('sums up a preview in one line, singular and plural', () => {
    const rejected = { line: 3, column: 'Surname', field: 'legalLastName', reason: 'Enter it.' };
    expect(summaryLine(report({ rows: 4, ready: 3, rejected: [rejected] }))).toBe(
      '4 rows: 3 ready to import, 1 not imported, 0 likely duplicates',
    );
    expect(summaryLine(report({ rows: 1, ready: 1 }))).toBe(
      '1 row: 1 ready to import, 0 not imported, 0 likely duplicates',
    );
    expect(importLabel(1)).toBe('Import 1 client');
    expect(importLabel(3)).toBe('Import 3 clients');
    expect(importedLine(1)).toBe('Imported 1 client.');
  });

  it('says a rejected row by line, column and reason', () => {
    expect(
      rejectedLine({
        line: 14,
        column: 'Date of birth',
        field: 'dateOfBirth',
        reason: '“31/02/1990” is not a date when read as day/month/year.',
      }),
    ).toBe('Line 14 — Date of birth: “31/02/1990” is not a date when read as day/month/year.');
    expect(
      rejectedLine({ line: 2, column: 'legalLastName', field: 'legalLastName', reason: 'Enter it.' }),
    ).toBe('Line 2 — Legal last name: Enter it.');
  });

  it('finds a date of the file that reads both ways, and reads it each way', () => {
    expect(ambiguousDate(['', '1984-03-27', '27/03/1984', '05/06/1990'])).toBe('05/06/1990');
    expect(ambiguousDate(['27/03/1984', '04/04/1990'])).toBeNull();
    expect(readAs('05/06/1990', 'dayMonthYear')).toContain('1990');
    expect(readAs('05/06/1990', 'dayMonthYear')).not.toBe(readAs('05/06/1990', 'monthDayYear'));
    expect(readAs('soon', 'dayMonthYear')).toBeNull();
  });
});

describe('import in the audit trail', () => {
  const berlin = timeFormatter('Europe/Berlin', 'en-GB');

  it('names both events and says how many clients came in', () => {
    expect(describeAction({ action: 'client.import_checked', detail: 'rows=40 ready=38' }, berlin)).toEqual({
      summary: 'Checked a client list for import',
      detail: '40 rows, 38 ready',
    });
    expect(describeAction({ action: 'client.imported', detail: 'count=38' }, berlin)).toEqual({
      summary: 'Imported clients',
      detail: '38 clients',
    });
    expect(describeAction({ action: 'client.imported', detail: 'count=1' }, berlin).detail).toBe(
      '1 client',
    );
  });
});
