import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  ClientPage,
  DuplicateRow,
  ImportPreview,
  ImportReport,
} from '../../../lib/api';
import { signin } from '../../../lib/signin.svelte';
import { ok, person, refused } from '../../../lib/testing/fixtures';
import ClientsScreen from '../ClientsScreen.svelte';
import { summary } from '../fixtures';
import ImportClients from './ImportClients.svelte';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  importChooseFile: vi.fn(),
  importPreview: vi.fn(),
  importClients: vi.fn(),
  importSaveRejected: vi.fn(),
  clientSearch: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../../lib/api/bindings', () => ({ commands: api }));

/** What Rust reports for a file of the columns above, guessed from the headers. */
function report(overrides: Partial<ImportReport> = {}): ImportReport {
  return {
    encoding: 'UTF-8',
    separator: 'commas',
    layout: null,
    columns: [
      { header: 'First Name', field: 'legalFirstName', leftOut: null },
      { header: 'Surname', field: 'legalLastName', leftOut: null },
      { header: 'DOB', field: 'dateOfBirth', leftOut: null },
      { header: 'Clinical Notes', field: null, leftOut: 'notes' },
      { header: 'Street Address', field: null, leftOut: 'address' },
      { header: 'Shoe size', field: null, leftOut: 'unknown' },
    ],
    missing: [],
    preview: [
      { line: 2, cells: ['Aoife', 'Brennan', '27/03/1984', '', '1 Quay St', '6'] },
      { line: 3, cells: ['Tomás', 'Ruiz', '1990-11-02', '', '2 Quay St', '9'] },
      { line: 4, cells: ['Mei', '', '1979-05-30', '', '3 Quay St', '5'] },
      { line: 5, cells: ['Ines', 'Kowalski', '31/02/1990', '', '4 Quay St', '7'] },
    ],
    datesFound: { evident: 'dayMonthYear' },
    dateOrder: 'dayMonthYear',
    rows: 4,
    ready: 2,
    rejected: [
      {
        line: 4,
        column: 'Surname',
        field: 'legalLastName',
        reason: "Enter the client's legal last name.",
      },
      {
        line: 5,
        column: 'DOB',
        field: 'dateOfBirth',
        reason: '“31/02/1990” is not a date when read as day/month/year.',
      },
    ],
    duplicates: [],
    imported: 0,
    ...overrides,
  };
}

function chosen(r: ImportReport = report()): ImportPreview {
  return { token: 7, fileName: 'old-system-clients.csv', report: r };
}

function duplicate(line: number, overrides: Partial<DuplicateRow> = {}): DuplicateRow {
  return {
    line,
    name: 'Tomás Ruiz',
    dateOfBirth: '1990-11-02',
    existing: [summary(12, { displayName: 'Tomas Ruiz', recordNumber: 'C-000012' })],
    earlierLines: [],
    importing: false,
    ...overrides,
  };
}

/** An element's text as it reads, with line breaks of the markup as single spaces. */
function words(element: HTMLElement): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function columnSelect(index: number): HTMLSelectElement {
  return screen.getByTestId(`import-column-${index}`) as HTMLSelectElement;
}

function importButton(): HTMLButtonElement {
  return screen.getByTestId('import-submit') as HTMLButtonElement;
}

/** Renders the import page and chooses the file; resolves once the preview shows. */
async function preview(r: ImportReport = report()) {
  api.importChooseFile.mockResolvedValueOnce(ok(chosen(r)));
  const rendered = render(ImportClients, {
    onImported: vi.fn(),
    onBack: vi.fn(),
  });
  await fireEvent.click(screen.getByTestId('import-choose-file'));
  await screen.findByTestId('import-preview-heading');
  return rendered;
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signedIn = person();
  signin.target = {};
  api.currentSignIn.mockResolvedValue(ok(person()));
});

afterEach(() => {
  signin.clearAll();
});

describe('Import clients: choosing the file', () => {
  it('explains what comes in, that notes never do, and offers the file dialog', async () => {
    render(ImportClients, { onImported: vi.fn(), onBack: vi.fn() });
    const page = words(screen.getByTestId('import-clients'));
    expect(page).toContain('Choose the CSV file your old system exported');
    expect(page).toContain('Notes are never imported');
    expect(words(screen.getByTestId('import-choose-file'))).toContain('Choose file…');
    expect(api.importChooseFile).not.toHaveBeenCalled();
  });

  it('stays on the first step when the dialog is closed', async () => {
    api.importChooseFile.mockResolvedValueOnce(ok(null));
    render(ImportClients, { onImported: vi.fn(), onBack: vi.fn() });
    await fireEvent.click(screen.getByTestId('import-choose-file'));
    await waitFor(() => expect(api.importChooseFile).toHaveBeenCalledTimes(1));
    expect(screen.queryByTestId('import-preview-heading')).toBeNull();
    expect(words(screen.getByTestId('import-choose-file'))).toContain('Choose file…');
  });

  it('shows why a file cannot be read beside the button', async () => {
    api.importChooseFile.mockResolvedValueOnce(
      refused('invalid', 'That file is larger than 50 MB, far more than a client list.', 'file'),
    );
    render(ImportClients, { onImported: vi.fn(), onBack: vi.fn() });
    await fireEvent.click(screen.getByTestId('import-choose-file'));
    expect(words((await screen.findByTestId('error-importFile')))).toContain('larger than 50 MB');
    expect(screen.queryByTestId('import-preview-heading')).toBeNull();
  });
});

describe('Import clients: headings Circle does not know', () => {
  it('asks for the name column beside the columns when no heading names it', async () => {
    const unnamed = report({
      columns: report().columns.map((column, i) =>
        i === 0 ? { header: 'Given', field: null, leftOut: 'unknown' } : column,
      ),
      missing: ['legalFirstName'],
      ready: 0,
      rejected: [],
    });
    await preview(unnamed);
    expect(words(await screen.findByTestId('error-columns'))).toContain(
      'Choose the column that holds the legal first name.',
    );
    expect(importButton().disabled).toBe(true);

    api.importPreview.mockResolvedValueOnce(ok(report()));
    await fireEvent.change(columnSelect(0), { target: { value: 'legalFirstName' } });
    await waitFor(() => expect(screen.queryByTestId('error-columns')).toBeNull());
    expect(api.importPreview.mock.calls[0][1].columns[0]).toBe('legalFirstName');
    expect(importButton().disabled).toBe(false);
  });
});

describe('Import clients: the preview', () => {
  it('goes back to the first step, keyboard on the button, when another file cannot be read', async () => {
    await preview();
    api.importChooseFile.mockResolvedValueOnce(
      refused('invalid', 'Circle could not read that file.', 'file'),
    );
    await fireEvent.click(screen.getByTestId('import-choose-another'));
    expect(words(await screen.findByTestId('error-importFile'))).toContain('could not read');
    expect(screen.queryByTestId('import-preview-heading')).toBeNull();
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByTestId('import-choose-file')),
    );
  });


  it('shows how the file was read, its rows and what each column fills', async () => {
    await preview(report({ layout: 'SimplePractice client export' }));
    expect(screen.getByTestId('import-file-name').textContent).toBe('old-system-clients.csv');
    const facts = screen.getByTestId('import-file-facts').textContent ?? '';
    expect(facts).toContain('UTF-8');
    expect(facts).toContain('commas');
    expect(screen.getByTestId('import-layout').textContent).toBe('SimplePractice client export');
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByTestId('import-preview-heading')),
    );

    expect(columnSelect(0).value).toBe('legalFirstName');
    expect(columnSelect(1).value).toBe('legalLastName');
    expect(columnSelect(2).value).toBe('dateOfBirth');
    expect([...columnSelect(0).options].map((o) => o.text)).toEqual([
      'Not imported',
      'Legal first name',
      'Middle name',
      'Legal last name',
      'Preferred name',
      'Pronouns',
      'Date of birth',
      'Phone number',
      'Email address',
      "Emergency contact's name",
      "Emergency contact's phone number",
      'Status',
    ]);
    // Each select is named for the screen reader by the column it is about.
    expect(screen.getByLabelText('What the column “Surname” fills')).toBe(columnSelect(1));
    // A notes column cannot be mapped at all.
    expect(screen.queryByTestId('import-column-3')).toBeNull();
    expect(words(screen.getByTestId('import-left-out-3'))).toContain(
      'Notes are never imported',
    );
    expect(words(screen.getByTestId('import-left-out-4'))).toContain(
      'Circle keeps no postal address',
    );
    expect(columnSelect(5).value).toBe('');

    const line2 = screen.getByTestId('import-preview-line-2');
    expect(words(line2)).toContain('Aoife');
    expect(words(line2)).toContain('Brennan');
    expect(words(screen.getByTestId('import-summary'))).toContain(
      '4 rows: 2 ready to import, 2 not imported, 0 likely duplicates',
    );
    expect(words(screen.getByTestId('import-date-found'))).toContain('day/month/year');
  });

  it('re-previews with the whole columns array when a column is changed', async () => {
    await preview();
    api.importPreview.mockResolvedValueOnce(
      ok(
        report({
          columns: report().columns.map((column, i) =>
            i === 5 ? { header: 'Shoe size', field: 'pronouns', leftOut: null } : column,
          ),
          ready: 2,
        }),
      ),
    );
    await fireEvent.change(columnSelect(5), { target: { value: 'pronouns' } });
    await waitFor(() => expect(api.importPreview).toHaveBeenCalledTimes(1));
    expect(api.importPreview).toHaveBeenCalledWith(7, {
      columns: ['legalFirstName', 'legalLastName', 'dateOfBirth', null, null, 'pronouns'],
      dateOrder: null,
      importAnyway: [],
    });
    await waitFor(() => expect(columnSelect(5).value).toBe('pronouns'));

    // Back to "Not imported": null for that column.
    api.importPreview.mockResolvedValueOnce(ok(report()));
    await fireEvent.change(columnSelect(5), { target: { value: '' } });
    await waitFor(() => expect(api.importPreview).toHaveBeenCalledTimes(2));
    expect(api.importPreview.mock.calls[1][1].columns).toEqual([
      'legalFirstName',
      'legalLastName',
      'dateOfBirth',
      null,
      null,
      null,
    ]);
  });

  it('shows a refused mapping beside the columns and blocks the import until it is fixed', async () => {
    await preview();
    api.importPreview.mockResolvedValueOnce(
      refused('invalid', '2 columns are set to fill “legal last name”. Choose one of them.', 'columns'),
    );
    await fireEvent.change(columnSelect(5), { target: { value: 'legalLastName' } });
    expect(words((await screen.findByTestId('error-columns')))).toContain(
      'Choose one of them',
    );
    expect(columnSelect(5).getAttribute('aria-describedby')).toContain('error');
    expect(importButton().disabled).toBe(true);
    // The numbers of the last good preview are no longer shown as if they held.
    expect(screen.queryByTestId('import-summary')).toBeNull();

    api.importPreview.mockResolvedValueOnce(ok(report()));
    await fireEvent.change(columnSelect(5), { target: { value: '' } });
    await waitFor(() => expect(screen.queryByTestId('error-columns')).toBeNull());
    expect(importButton().disabled).toBe(false);
  });

  it('asks how dates are written and blocks the import until it is answered', async () => {
    await preview(
      report({
        preview: [{ line: 2, cells: ['Aoife', 'Brennan', '03/04/1985', '', '', ''] }],
        datesFound: 'ask',
        dateOrder: null,
        rows: 1,
        ready: 1,
        rejected: [],
      }),
    );
    const question = screen.getByTestId('import-date-question');
    expect(words(question)).toContain('How does this file write dates like 03/04/1985?');
    expect(importButton().disabled).toBe(true);
    expect(words(screen.getByTestId('import-blocked'))).toContain('dates');

    await fireEvent.click(importButton());
    expect(api.importClients).not.toHaveBeenCalled();

    api.importPreview.mockResolvedValueOnce(
      ok(
        report({
          preview: [{ line: 2, cells: ['Aoife', 'Brennan', '03/04/1985', '', '', ''] }],
          datesFound: 'ask',
          dateOrder: 'dayMonthYear',
          rows: 1,
          ready: 1,
          rejected: [],
        }),
      ),
    );
    const dayFirst = within(question).getByTestId('import-date-dayMonthYear') as HTMLInputElement;
    dayFirst.focus();
    await fireEvent.click(dayFirst);
    await waitFor(() => expect(api.importPreview).toHaveBeenCalledTimes(1));
    expect(api.importPreview.mock.calls[0][1]).toMatchObject({ dateOrder: 'dayMonthYear' });
    await waitFor(() => expect(importButton().disabled).toBe(false));
    expect(dayFirst.checked).toBe(true);
    expect(words(importButton())).toContain('Import 1 client');
  });

  it('lists the rows that cannot be imported by line, column and reason, and saves them', async () => {
    await preview();
    const rejected = screen.getByTestId('import-rejected');
    expect(words(screen.getByTestId('import-rejected-line-4'))).toContain(
      "Line 4 — Surname: Enter the client's legal last name.",
    );
    expect(words(screen.getByTestId('import-rejected-line-5'))).toContain(
      'Line 5 — DOB: “31/02/1990” is not a date when read as day/month/year.',
    );
    const lines = [...rejected.querySelectorAll('li')].map((li) => li.dataset.testid);
    expect(lines).toEqual(['import-rejected-line-4', 'import-rejected-line-5']);

    api.importSaveRejected.mockResolvedValueOnce(ok('old-system-clients - rows not imported.csv'));
    await fireEvent.click(screen.getByTestId('import-save-rejected'));
    expect(words((await screen.findByTestId('import-saved')))).toContain(
      'old-system-clients - rows not imported.csv',
    );
    expect(api.importSaveRejected).toHaveBeenCalledWith(7, {
      columns: ['legalFirstName', 'legalLastName', 'dateOfBirth', null, null, null],
      dateOrder: null,
      importAnyway: [],
    });
  });

  it('names a field in words when no column fills it', async () => {
    await preview(
      report({
        rejected: [
          {
            line: 9,
            column: 'legalLastName',
            field: 'legalLastName',
            reason: "Enter the client's legal last name.",
          },
        ],
      }),
    );
    expect(words(screen.getByTestId('import-rejected-line-9'))).toContain(
      "Line 9 — Legal last name: Enter the client's legal last name.",
    );
  });

  it('leaves likely duplicates out unless "Import anyway" is ticked', async () => {
    await preview(
      report({
        duplicates: [duplicate(3), duplicate(6, { existing: [], earlierLines: [3] })],
      }),
    );
    const first = screen.getByTestId('import-duplicate-line-3');
    expect(words(first)).toContain('Line 3');
    expect(words(first)).toContain('Tomás Ruiz');
    expect(words(first)).toContain('1990');
    expect(words(first)).toContain('Tomas Ruiz (C-000012)');
    expect(words(screen.getByTestId('import-duplicate-line-6'))).toContain(
      'line 3 of this file',
    );
    const anyway = screen.getByTestId('import-anyway-3') as HTMLInputElement;
    expect(anyway.checked).toBe(false);
    expect(words(screen.getByTestId('import-summary'))).toContain('2 likely duplicates');

    api.importPreview.mockResolvedValueOnce(
      ok(report({ ready: 3, duplicates: [duplicate(3, { importing: true }), duplicate(6)] })),
    );
    await fireEvent.click(anyway);
    await waitFor(() => expect(api.importPreview).toHaveBeenCalledTimes(1));
    expect(api.importPreview.mock.calls[0][1]).toMatchObject({ importAnyway: [3] });
    await waitFor(() => expect(words(importButton())).toContain('Import 3 clients'));
    expect((screen.getByTestId('import-anyway-3') as HTMLInputElement).checked).toBe(true);
  });

  it('says what to do when the file has no rows', async () => {
    await preview(report({ preview: [], rows: 0, ready: 0, rejected: [] }));
    expect(words(screen.getByTestId('import-no-rows'))).toContain('no rows of clients');
    expect(words(screen.getByTestId('import-empty'))).toContain('choose that file');
    expect(importButton().disabled).toBe(true);
  });
});

describe('Import clients: importing', () => {
  it('imports the ready rows and reports the count and the rows left out', async () => {
    const onImported = vi.fn();
    api.importChooseFile.mockResolvedValueOnce(ok(chosen()));
    render(ImportClients, { onImported, onBack: vi.fn() });
    await fireEvent.click(screen.getByTestId('import-choose-file'));
    await screen.findByTestId('import-preview-heading');
    expect(words(importButton())).toContain('Import 2 clients');

    let finish: (value: unknown) => void = () => {};
    api.importClients.mockReturnValueOnce(new Promise((resolve) => (finish = resolve)));
    await fireEvent.click(importButton());
    expect(words((await screen.findByTestId('import-progress')))).toContain('Importing 2');
    expect(importButton().getAttribute('aria-disabled')).toBe('true');
    expect(api.importClients).toHaveBeenCalledWith(7, {
      columns: ['legalFirstName', 'legalLastName', 'dateOfBirth', null, null, null],
      dateOrder: null,
      importAnyway: [],
    });

    finish(ok(report({ imported: 2 })));
    expect((await screen.findByTestId('import-done')).textContent).toBe('Imported 2 clients.');
    expect(onImported).toHaveBeenCalledWith(2);
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByTestId('import-done-heading')),
    );
    expect(words(screen.getByTestId('import-rejected-line-4'))).toContain('Line 4');
    expect(screen.getByTestId('import-save-rejected')).toBeTruthy();
    expect(screen.queryByTestId('import-submit')).toBeNull();
  });

  it('keeps the preview with the reason beside the button when the import fails', async () => {
    await preview();
    api.importClients.mockResolvedValueOnce(
      refused('invalid', 'Line 3 could not be saved, so nothing was imported: disk full', 'file'),
    );
    await fireEvent.click(importButton());
    expect(words((await screen.findByTestId('error-import')))).toContain(
      'nothing was imported',
    );
    expect(screen.getByTestId('import-preview-heading')).toBeTruthy();
    expect(screen.getByTestId('import-preview-line-2')).toBeTruthy();
    expect(screen.queryByTestId('import-done')).toBeNull();
    expect(importButton().disabled).toBe(false);
  });
});

describe('Clients → Import clients', () => {
  function page(items: ClientPage['items']) {
    return ok<ClientPage>({ items, total: items.length });
  }

  it('opens from the list and, once imported, the list shows the new clients', async () => {
    api.clientSearch.mockResolvedValueOnce(page([summary(1)]));
    render(ClientsScreen);
    await screen.findByTestId('client-row-1');
    await fireEvent.click(screen.getByTestId('client-import'));
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByTestId('import-heading')),
    );

    api.importChooseFile.mockResolvedValueOnce(ok(chosen()));
    await fireEvent.click(screen.getByTestId('import-choose-file'));
    await screen.findByTestId('import-preview-heading');
    api.importClients.mockResolvedValueOnce(ok(report({ imported: 2 })));
    await fireEvent.click(importButton());
    await screen.findByTestId('import-done');

    api.clientSearch.mockResolvedValueOnce(
      page([summary(1), summary(2, { displayName: 'Aoife Brennan' }), summary(3)]),
    );
    await fireEvent.click(screen.getByTestId('import-back-to-list'));
    expect(words((await screen.findByTestId('client-row-2')))).toContain('Aoife Brennan');
    expect(api.clientSearch).toHaveBeenCalledTimes(2);
  });

  it('is not offered to a sign-in that cannot create clients', async () => {
    signin.signedIn = person({ capabilities: ['readWriteNotes', 'sign'] });
    api.clientSearch.mockResolvedValueOnce(page([summary(1)]));
    render(ClientsScreen);
    await screen.findByTestId('client-row-1');
    expect(screen.queryByTestId('client-import')).toBeNull();
    expect(screen.getByTestId('client-new')).toBeTruthy();
  });
});
