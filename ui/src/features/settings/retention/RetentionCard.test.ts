import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandError, DueRecord, PurgeReport, Result } from '../../../lib/api';
import { signin } from '../../../lib/signin.svelte';
import { ok, person, refused } from '../../../lib/testing/fixtures';
import RetentionCard from './RetentionCard.svelte';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  retentionSettings: vi.fn(),
  retentionSetSettings: vi.fn(),
  retentionDue: vi.fn(),
  retentionPurge: vi.fn(),
}));
vi.mock('../../../lib/api/bindings', () => ({ commands: api }));

function due(
  id: number,
  recordNumber: string,
  displayName: string,
  overrides: Partial<DueRecord> = {},
): DueRecord {
  return {
    client: {
      id,
      recordNumber,
      displayName,
      legalName: displayName,
      dateOfBirth: '1971-04-02',
      status: 'discharged',
    },
    lastContact: '2017-03-14',
    dueOn: '2024-03-14',
    minorAtLastContact: false,
    ...overrides,
  };
}

const ROWAN = due(12, 'C-000012', 'Rowan Achterberg');
const ILSE = due(31, 'C-000031', 'Ilse Varga', {
  client: { ...ROWAN.client, id: 31, recordNumber: 'C-000031', displayName: 'Ilse Varga', dateOfBirth: '2004-09-30' },
  lastContact: '2015-06-01',
  dueOn: '2025-09-30',
  minorAtLastContact: true,
});
const TOMAS = due(40, 'C-000040', 'Tomás Brennan', { lastContact: '2018-01-09', dueOn: '2025-01-09' });

function words(element: HTMLElement): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Ids of the elements describing `control`, read as text. */
function described(control: HTMLElement): string {
  return (control.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

/** A purge that waits: the test plays Rust and answers when it wants. */
function pendingPurge() {
  let answer: (result: Result<PurgeReport, CommandError>) => void = () => {};
  api.retentionPurge.mockImplementation(
    () => new Promise<Result<PurgeReport, CommandError>>((resolve) => (answer = resolve)),
  );
  return (result: Result<PurgeReport, CommandError>) => answer(result);
}

async function openPurge(...ids: number[]) {
  for (const id of ids) await fireEvent.click(await screen.findByTestId(`retention-select-${id}`));
  // As from the keyboard: the button has focus when it is pressed.
  const button = screen.getByTestId('retention-purge');
  button.focus();
  await fireEvent.click(button);
  const dialog = await screen.findByRole('dialog');
  return {
    dialog,
    typed: within(dialog).getByTestId('retention-typed-count') as HTMLInputElement,
    confirm: within(dialog).getByTestId('retention-purge-confirm') as HTMLButtonElement,
  };
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signIn(person());
  api.retentionSettings.mockResolvedValue(ok({ yearsAfterContact: 7, yearsAfterMajority: 3 }));
  api.retentionDue.mockResolvedValue(ok([ROWAN, ILSE, TOMAS]));
});

afterEach(() => {
  signin.clearAll();
});

describe('RetentionCard for a practice manager', () => {
  it('shows the periods and the due list, but no Save, no boxes and no Purge', async () => {
    render(RetentionCard, { role: 'manager' });

    expect(words(await screen.findByTestId('retention-years-after-contact'))).toBe(
      'Keep records for 7 years after the last contact.',
    );
    expect(words(screen.getByTestId('retention-years-after-majority'))).toBe(
      'For clients who were minors: also until 3 years after they turn 18.',
    );
    expect(words(screen.getByTestId('retention-owner-only'))).toBe('Only the owner changes these.');
    expect(words(screen.getByTestId('retention-law'))).toBe(
      'Local law decides how long records must be kept. Check it before you change these.',
    );
    await screen.findByTestId('retention-due');
    expect(screen.getAllByRole('row')).toHaveLength(4);

    expect(screen.queryAllByRole('spinbutton')).toHaveLength(0);
    expect(screen.queryAllByRole('checkbox')).toHaveLength(0);
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Purge/ })).toBeNull();
    expect(words(screen.getByTestId('retention-purge-owner-only'))).toBe(
      'Only the owner can purge records: purging needs the clinical key.',
    );
    expect(api.retentionSetSettings).not.toHaveBeenCalled();
  });
});

describe('RetentionCard for the owner', () => {
  it('lists the records due with dates as the practice writes them and minors named in words', async () => {
    render(RetentionCard, { role: 'owner' });
    const table = await screen.findByTestId('retention-due');
    const ilse = within(table).getByTestId('retention-due-31');
    expect(Array.from(ilse.children, (cell) => words(cell as HTMLElement))).toEqual([
      '',
      'C-000031',
      'Ilse Varga Minor at last contact',
      '1 Jun 2015',
      '30 Sept 2025',
    ]);
    expect(within(table).getByTestId('retention-due-12').textContent).not.toContain('Minor');
    expect(within(table).getAllByRole('columnheader').map(words)).toEqual([
      '',
      'Record',
      'Name',
      'Last contact',
      'Due on',
    ]);
    expect(screen.getByLabelText('Choose C-000031, Ilse Varga')).toBeTruthy();
  });

  it('says when nothing is due, and after how long a record becomes due', async () => {
    api.retentionSettings.mockResolvedValue(ok({ yearsAfterContact: 10, yearsAfterMajority: 3 }));
    api.retentionDue.mockResolvedValue(ok([]));
    render(RetentionCard, { role: 'owner' });
    expect(words(await screen.findByTestId('retention-none-due'))).toBe(
      "No records are due. A record becomes due 10 years after the client's last contact.",
    );
    expect(screen.queryByRole('button', { name: /Purge/ })).toBeNull();
  });

  it('saves the periods, says what they mean and reads the due list again', async () => {
    api.retentionSetSettings.mockResolvedValue(ok({ yearsAfterContact: 10, yearsAfterMajority: 5 }));
    render(RetentionCard, { role: 'owner' });
    const contact = (await screen.findByLabelText(/Keep records for/)) as HTMLInputElement;
    const majority = screen.getByLabelText(/For clients who were minors/) as HTMLInputElement;
    expect(contact.value).toBe('7');
    expect(majority.value).toBe('3');
    await screen.findByTestId('retention-due');
    expect(api.retentionDue).toHaveBeenCalledTimes(1);

    await fireEvent.input(contact, { target: { value: '10' } });
    await fireEvent.input(majority, { target: { value: '5' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(api.retentionSetSettings).toHaveBeenCalledWith({ yearsAfterContact: 10, yearsAfterMajority: 5 });
    expect(words(await screen.findByTestId('retention-saved'))).toBe(
      "✓ Saved. A record becomes due 10 years after the client's last contact; for a client who was a minor, no sooner than 5 years after they turn 18.",
    );
    await waitFor(() => expect(api.retentionDue).toHaveBeenCalledTimes(2));
  });

  it("puts Circle's refusal beside the field it names", async () => {
    api.retentionSetSettings.mockResolvedValue(
      refused('invalid', 'Choose between 0 and 100 years.', 'yearsAfterMajority'),
    );
    render(RetentionCard, { role: 'owner' });
    const majority = (await screen.findByLabelText(/For clients who were minors/)) as HTMLInputElement;
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(majority.getAttribute('aria-invalid')).toBe('true'));
    expect(described(majority)).toContain('Choose between 0 and 100 years.');
    expect(document.activeElement).toBe(majority);
    const contact = screen.getByLabelText(/Keep records for/);
    expect(contact.getAttribute('aria-invalid')).toBeNull();
    expect(screen.queryByTestId('retention-saved')).toBeNull();
  });

  it('refuses a period out of range without sending it', async () => {
    render(RetentionCard, { role: 'owner' });
    const contact = (await screen.findByLabelText(/Keep records for/)) as HTMLInputElement;
    await fireEvent.input(contact, { target: { value: '0' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(described(contact)).toContain('Choose between 1 and 100 years.'));
    expect(api.retentionSetSettings).not.toHaveBeenCalled();
  });

  it('shows a refusal that names no field above the Save button', async () => {
    api.retentionSetSettings.mockResolvedValue(refused('forbidden', 'Only the owner can do that.'));
    render(RetentionCard, { role: 'owner' });
    await screen.findByLabelText(/Keep records for/);
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(words(await screen.findByTestId('retention-save-error'))).toBe('Only the owner can do that.');
  });

  it('chooses every record at once, and none again', async () => {
    render(RetentionCard, { role: 'owner' });
    const all = (await screen.findByTestId('retention-select-all')) as HTMLInputElement;
    expect(all.getAttribute('aria-label')).toBe('Choose all 3 records');
    await fireEvent.click(screen.getByTestId('retention-select-12'));
    expect(all.indeterminate).toBe(true);
    expect(words(screen.getByTestId('retention-chosen'))).toBe('1 record of 3 chosen.');

    await fireEvent.click(all);
    const boxes = screen.getAllByRole('checkbox') as HTMLInputElement[];
    expect(boxes.every((box) => box.checked)).toBe(true);
    expect(words(screen.getByTestId('retention-chosen'))).toBe('3 records of 3 chosen.');

    await fireEvent.click(all);
    expect(boxes.some((box) => box.checked)).toBe(false);
    expect(words(screen.getByTestId('retention-chosen'))).toBe('None chosen.');
  });

  it('asks for a choice before opening the dialog', async () => {
    render(RetentionCard, { role: 'owner' });
    await fireEvent.click(await screen.findByTestId('retention-purge'));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(words(screen.getByTestId('error-clientIds'))).toContain('Choose the records to purge first');
  });

  it('says what is destroyed and keeps Confirm off until the typed number equals the count', async () => {
    render(RetentionCard, { role: 'owner' });
    const { dialog, typed, confirm } = await openPurge(12, 40);

    expect(words(within(dialog).getByRole('heading'))).toBe('Purge 2 records for good?');
    const text = words(dialog);
    for (const part of [
      'demographics',
      'enrollments, attendance and appointments',
      'notes about them, their goals and private notes',
      'consents and the accounting of disclosures',
      "Notes of shared sessions keep the other members' parts",
      'named by a label',
      'This cannot be undone.',
      'Backups made before today still hold these records until they rotate out',
    ]) {
      expect(text).toContain(part);
    }
    expect(words(within(dialog).getByTestId('retention-purge-records'))).toBe(
      'Records: C-000012, C-000040.',
    );
    await waitFor(() => expect(document.activeElement).toBe(typed));

    expect(confirm.disabled).toBe(true);
    await fireEvent.input(typed, { target: { value: '3' } });
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(typed, { target: { value: 'two' } });
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(typed, { target: { value: '2' } });
    expect(confirm.disabled).toBe(false);
    await fireEvent.input(typed, { target: { value: '' } });
    expect(confirm.disabled).toBe(true);
    expect(api.retentionPurge).not.toHaveBeenCalled();
  });

  it('purges the chosen records with the typed count, shows progress, then says what went', async () => {
    const answer = pendingPurge();
    render(RetentionCard, { role: 'owner' });
    const { dialog, typed, confirm } = await openPurge(12, 31);
    await fireEvent.input(typed, { target: { value: '2' } });
    await fireEvent.click(confirm);

    expect(api.retentionPurge).toHaveBeenCalledWith([12, 31], 2);
    expect(words(await within(dialog).findByTestId('retention-purge-progress'))).toBe(
      'Purging and compacting the vault…',
    );
    // While it runs the dialog stays: Escape does nothing.
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.getByRole('dialog')).toBe(dialog);

    api.retentionDue.mockResolvedValue(ok([TOMAS]));
    answer(ok({ purged: ['C-000012', 'C-000031'], notesRelabelled: 0 }));

    const news = await screen.findByTestId('retention-purged');
    expect(words(news)).toBe('Purged 2 records (C-000012, C-000031).');
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(screen.queryByTestId('retention-due-12')).toBeNull());
    expect(api.retentionDue).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId('retention-due-40')).toBeTruthy();
    expect(words(screen.getByTestId('retention-chosen'))).toBe('None chosen.');
  });

  it('says how many shared session notes now name a purged member by a label', async () => {
    api.retentionPurge.mockResolvedValue(ok({ purged: ['C-000031'], notesRelabelled: 3 }));
    render(RetentionCard, { role: 'owner' });
    const { typed, confirm } = await openPurge(31);
    await fireEvent.input(typed, { target: { value: '1' } });
    await fireEvent.click(confirm);
    expect(words(await screen.findByTestId('retention-purged'))).toBe(
      'Purged 1 record (C-000031). 3 signed notes of shared sessions now name purged members by a label.',
    );
  });

  it("keeps the dialog open with Circle's refusal beside the typed number", async () => {
    api.retentionPurge.mockResolvedValue(refused('invalid', 'Purging is not finished yet.', 'clientIds'));
    render(RetentionCard, { role: 'owner' });
    const { dialog, typed, confirm } = await openPurge(40);
    await fireEvent.input(typed, { target: { value: '1' } });
    await fireEvent.click(confirm);

    await waitFor(() => expect(typed.getAttribute('aria-invalid')).toBe('true'));
    expect(described(typed)).toContain('Purging is not finished yet.');
    await waitFor(() => expect(within(dialog).queryByTestId('retention-purge-progress')).toBeNull());
    expect(screen.getByRole('dialog')).toBe(dialog);
    expect(document.activeElement).toBe(typed);
    expect(screen.queryByTestId('retention-purged')).toBeNull();
    expect(api.retentionDue).toHaveBeenCalledTimes(1);
  });

  it('shows a refusal that names no field inside the dialog', async () => {
    api.retentionPurge.mockResolvedValue(refused('forbidden', 'Only the owner can purge records.'));
    render(RetentionCard, { role: 'owner' });
    const { dialog, typed, confirm } = await openPurge(40);
    await fireEvent.input(typed, { target: { value: '1' } });
    await fireEvent.click(confirm);
    expect(words(await within(dialog).findByTestId('retention-purge-error'))).toBe(
      'Only the owner can purge records.',
    );
  });

  it('closes on Escape without purging and gives focus back to the button', async () => {
    render(RetentionCard, { role: 'owner' });
    const { typed } = await openPurge(12);
    await waitFor(() => expect(document.activeElement).toBe(typed));
    await fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(screen.getByTestId('retention-purge'));
    expect(api.retentionPurge).not.toHaveBeenCalled();
    // The choice stays for another try.
    expect((screen.getByTestId('retention-select-12') as HTMLInputElement).checked).toBe(true);
  });

  it('drops the list when Circle locks', async () => {
    render(RetentionCard, { role: 'owner' });
    await screen.findByTestId('retention-due');
    signin.clearAll();
    await waitFor(() => expect(screen.queryByTestId('retention-due')).toBeNull());
    expect(document.body.textContent).not.toContain('Rowan Achterberg');
  });
});
