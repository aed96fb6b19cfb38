import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NoteTask, NotesToDo } from '../../lib/api';
import { signin } from '../../lib/signin.svelte';
import { ok, person, refused } from '../../lib/testing/fixtures';
import NotesToDoCard from './NotesToDoCard.svelte';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  notesToDo: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

const TZ = 'Europe/Dublin';

const clinician = person({
  staffId: 2,
  fullName: 'Priya Nair',
  role: 'clinician',
  roleLabel: 'Clinician',
  capabilities: ['scheduling', 'readWriteNotes', 'sign'],
});

const supervisor = person({
  staffId: 3,
  fullName: 'Inés Duarte',
  role: 'supervisor',
  roleLabel: 'Supervisor',
  capabilities: ['scheduling', 'readWriteNotes', 'sign', 'coSign'],
});

// Winter in Dublin: the practice's clock reads the same as UTC.
const tonight: NoteTask = {
  sessionId: 11,
  groupId: 3,
  groupName: 'DBT Skills',
  format: 'group',
  clientNames: [],
  startsAt: '2030-01-15T18:00:00Z',
  by: null,
};
const draft: NoteTask = {
  sessionId: 9,
  groupId: 4,
  groupName: 'Grief Circle',
  format: 'group',
  clientNames: [],
  startsAt: '2030-01-14T10:00:00Z',
  by: { id: 2, fullName: 'Priya Nair' },
};
const pending: NoteTask = {
  sessionId: 7,
  groupId: 5,
  groupName: 'Anxiety Skills',
  format: 'group',
  clientNames: [],
  startsAt: '2030-01-13T17:30:00Z',
  by: { id: 8, fullName: 'Tomasz Wrona' },
};

function todo(overrides: Partial<NotesToDo> = {}): NotesToDo {
  return { toWrite: [tonight], toSign: [draft], toCosign: [pending], ...overrides };
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signIn(supervisor);
  api.currentSignIn.mockResolvedValue(ok(supervisor));
  api.notesToDo.mockResolvedValue(ok(todo()));
});

afterEach(() => {
  signin.clearAll();
});

describe('NotesToDoCard', () => {
  it('lists notes to write, sign and co-sign with counts, dates and who', async () => {
    render(NotesToDoCard, { tz: TZ });

    const write = await screen.findByTestId('notes-to-write');
    expect(api.notesToDo).toHaveBeenCalledTimes(1);
    expect(api.notesToDo).toHaveBeenCalledWith();
    expect(within(write).getByRole('heading').textContent).toMatch(/Notes to write\s*1/);
    const first = within(write).getByTestId('note-task-11');
    expect(first.tagName).toBe('BUTTON');
    expect(first.textContent).toContain('DBT Skills');
    expect(first.textContent).toContain('15 Jan, 18:00');

    const sign = screen.getByTestId('notes-to-sign');
    expect(within(sign).getByRole('heading').textContent).toMatch(/Notes to sign\s*1/);
    expect(within(sign).getByTestId('note-task-9').textContent).toContain('Grief Circle');
    expect(within(sign).getByTestId('note-task-9').textContent).not.toContain('by ');

    const cosign = screen.getByTestId('notes-to-cosign');
    expect(within(cosign).getByRole('heading').textContent).toMatch(/Notes to co-sign\s*1/);
    const line = within(cosign).getByTestId('note-task-7');
    expect(line.textContent).toContain('Anxiety Skills');
    expect(line.textContent).toContain('13 Jan, 17:30');
    expect(line.textContent).toContain('by Tomasz Wrona');
  });

  it('opens the session note of a task', async () => {
    const navigate = vi.spyOn(signin, 'navigate');
    render(NotesToDoCard, { tz: TZ });
    await fireEvent.click(await screen.findByTestId('note-task-11'));
    expect(navigate).toHaveBeenCalledWith('session', { sessionId: 11, groupId: 3 });
    await fireEvent.click(screen.getByTestId('note-task-7'));
    expect(navigate).toHaveBeenLastCalledWith('session', { sessionId: 7, groupId: 5 });
  });

  it('says calmly when there is nothing to do', async () => {
    api.notesToDo.mockResolvedValue(ok(todo({ toWrite: [], toSign: [], toCosign: [] })));
    render(NotesToDoCard, { tz: TZ });

    const write = await screen.findByTestId('notes-to-write');
    expect(write.textContent).toContain(
      'Nothing to write. Notes appear here after a group session you lead.',
    );
    expect(within(write).getByRole('heading').textContent).toMatch(/Notes to write\s*0/);
    expect(screen.getByTestId('notes-to-sign').textContent).toContain(
      'No drafts waiting for your signature.',
    );
    expect(screen.getByTestId('notes-to-cosign').textContent).toContain(
      'No notes waiting for your co-signature.',
    );
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });

  it('leaves out co-signing for someone who does not co-sign', async () => {
    signin.signIn(clinician);
    render(NotesToDoCard, { tz: TZ });
    await screen.findByTestId('notes-to-write');
    expect(screen.getByTestId('notes-to-sign')).toBeTruthy();
    expect(screen.queryByTestId('notes-to-cosign')).toBeNull();
    expect(screen.queryByTestId('note-task-7')).toBeNull();
    expect(document.body.textContent).not.toContain('co-sign');
  });

  it('says what went wrong and tries again', async () => {
    api.notesToDo
      .mockResolvedValueOnce(refused('locked', 'Circle is locked. Unlock to continue.'))
      .mockResolvedValue(ok(todo()));
    render(NotesToDoCard, { tz: TZ });

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Circle is locked. Unlock to continue.');
    expect(screen.queryByTestId('notes-to-write')).toBeNull();

    await fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('note-task-11')).toBeTruthy();
    expect(api.notesToDo).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('forgets the tasks when Circle locks', async () => {
    render(NotesToDoCard, { tz: TZ });
    await screen.findByTestId('note-task-11');
    signin.clearAll();
    await vi.waitFor(() => expect(screen.queryByTestId('note-task-11')).toBeNull());
    expect(document.body.textContent).not.toContain('DBT Skills');
  });
});
