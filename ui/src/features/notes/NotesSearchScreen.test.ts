import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  CommandError,
  NoteSearchHit,
  NotesToDo,
  Result,
  SignedNoteLine,
} from '../../lib/api';
import { signin } from '../../lib/signin.svelte';
import { ok, person, refused } from '../../lib/testing/fixtures';
import NotesSearchScreen from './NotesSearchScreen.svelte';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  notesSearch: vi.fn(),
  notesToDo: vi.fn(),
  notesRecentlySigned: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

const clinician = person({
  staffId: 2,
  fullName: 'Priya Nair',
  role: 'clinician',
  roleLabel: 'Clinician',
  capabilities: ['scheduling', 'readWriteNotes', 'sign'],
});

// Winter in Dublin: the practice's clock reads the same as UTC.
const shared: NoteSearchHit = {
  sessionId: 11,
  clientId: null,
  clientName: null,
  groupName: 'DBT Skills',
  startsAt: '2030-01-15T18:00:00Z',
  sectionLabel: 'Interventions',
  snippet: '…the group practised \u0002grounding\u0003 with the <b>five</b> senses…',
  status: 'signed',
  opensSession: true,
};
const member: NoteSearchHit = {
  sessionId: 9,
  clientId: 101,
  clientName: 'Marisol Ortega',
  groupName: 'Grief Circle',
  startsAt: '2030-01-14T10:00:00Z',
  sectionLabel: 'Response',
  snippet: 'used \u0002grounding\u0003 when the memories came',
  status: 'draft',
  opensSession: true,
};
const chartOnly: NoteSearchHit = {
  ...member,
  sessionId: 8,
  clientId: 102,
  clientName: 'Tomasz Wrona',
  status: 'pendingCosign',
  opensSession: false,
};

const nothingToDo: NotesToDo = { toWrite: [], toSign: [], toCosign: [] };

const recent: SignedNoteLine[] = [
  {
    sessionId: 21,
    groupId: 4,
    groupName: 'Grief Circle',
    startsAt: '2030-01-14T10:00:00Z',
    signedBy: { id: 7, fullName: 'Ben Osei' },
    signedAt: '2030-01-14T12:30:00Z',
    awaitingCosign: true,
  },
  {
    sessionId: 20,
    groupId: 3,
    groupName: 'DBT Skills',
    startsAt: '2030-01-13T18:00:00Z',
    signedBy: { id: 2, fullName: 'Priya Nair' },
    signedAt: '2030-01-13T20:00:00Z',
    awaitingCosign: false,
  },
];

function input(): HTMLInputElement {
  return screen.getByTestId('notes-search-input') as HTMLInputElement;
}

/** Lets the mocked command's promise settle and the screen catch up. */
async function settle() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await tick();
}

async function type(value: string) {
  await fireEvent.input(input(), { target: { value } });
}

/** Types and waits out the pause after typing. */
async function search(value: string) {
  await type(value);
  vi.advanceTimersByTime(250);
  await settle();
}

function deferred() {
  let resolve: (value: Result<NoteSearchHit[], CommandError>) => void = () => {};
  const promise = new Promise<Result<NoteSearchHit[], CommandError>>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signIn(clinician);
  api.currentSignIn.mockResolvedValue(ok(clinician));
  api.notesSearch.mockResolvedValue(ok([shared, member, chartOnly]));
  api.notesToDo.mockResolvedValue(ok(nothingToDo));
  api.notesRecentlySigned.mockResolvedValue(ok(recent));
});

afterEach(() => {
  vi.useRealTimers();
  signin.clearAll();
});

describe('NotesSearchScreen', () => {
  it('shows the notes to write, sign and co-sign and the recently signed ones above the search', async () => {
    signin.signIn({ ...clinician, capabilities: [...clinician.capabilities, 'coSign'] });
    api.notesToDo.mockResolvedValue(
      ok({
        ...nothingToDo,
        toWrite: [
          {
            sessionId: 30,
            groupId: 3,
            groupName: 'DBT Skills',
            format: 'group',
            clientNames: [],
            startsAt: '2030-01-20T18:00:00Z',
            by: null,
          },
        ],
      }),
    );
    render(NotesSearchScreen);
    await settle();
    expect(api.notesToDo).toHaveBeenCalledTimes(1);
    expect(api.notesRecentlySigned).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('notes-to-write-count').textContent).toBe('1');
    expect(screen.getByTestId('notes-to-sign')).toBeTruthy();
    expect(screen.getByTestId('notes-to-cosign')).toBeTruthy();
    const lines = within(screen.getByTestId('recent-notes')).getAllByRole('button');
    expect(lines.map((b) => b.getAttribute('data-testid'))).toEqual([
      'recent-note-21',
      'recent-note-20',
    ]);
    expect(lines[0].textContent).toContain('Signed by Ben Osei');
    expect(lines[0].textContent).toContain('Waiting for co-signature');
    expect(lines[1].textContent).not.toContain('Waiting');
    // Both come before the search box.
    const position = screen
      .getByTestId('recent-notes')
      .compareDocumentPosition(input());
    expect(position & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(
      screen.getByTestId('notes-to-write').compareDocumentPosition(input()) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();

    const navigate = vi.spyOn(signin, 'navigate');
    await fireEvent.click(lines[1]);
    expect(navigate).toHaveBeenLastCalledWith('session', { sessionId: 20, groupId: 3 });
  });

  it('says so when nothing has been signed yet', async () => {
    api.notesRecentlySigned.mockResolvedValue(ok([]));
    render(NotesSearchScreen);
    await settle();
    expect(screen.getByTestId('recent-notes-empty').textContent).toContain('No signed notes yet');
  });

  it('asks for a word before anything is searched, and says what is never searched', () => {
    render(NotesSearchScreen);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Notes');
    expect(screen.getByRole('search', { name: 'Search notes' })).toBeTruthy();
    expect(screen.getByLabelText('Words to find')).toBe(input());
    expect(screen.getByTestId('notes-search-intro').textContent).toContain(
      'Search every note you may read: type a word such as a topic or an intervention.',
    );
    const described = (input().getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
    expect(described).toContain('Private notes are never searched.');
    expect(screen.getAllByText('Private notes are never searched.')).toHaveLength(1);
    expect(api.notesSearch).not.toHaveBeenCalled();
  });

  it('searches once typing pauses, with the last words typed', async () => {
    render(NotesSearchScreen);
    await type('gr');
    vi.advanceTimersByTime(100);
    await type('ground');
    vi.advanceTimersByTime(249);
    expect(api.notesSearch).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    await settle();
    expect(api.notesSearch).toHaveBeenCalledTimes(1);
    expect(api.notesSearch).toHaveBeenCalledWith('ground');
    expect(screen.getAllByTestId('notes-search-result')).toHaveLength(3);
  });

  it('searches at once on Enter', async () => {
    render(NotesSearchScreen);
    await type('  grounding ');
    await fireEvent.keyDown(input(), { key: 'Enter' });
    await settle();
    expect(api.notesSearch).toHaveBeenCalledWith('grounding');
    expect(screen.getAllByTestId('notes-search-result')).toHaveLength(3);
    // The pending pause does not search a second time.
    vi.advanceTimersByTime(500);
    await settle();
    expect(api.notesSearch).toHaveBeenCalledTimes(1);
  });

  it('shows where each hit is and marks the matched words', async () => {
    render(NotesSearchScreen);
    await search('grounding');

    const [first, second, third] = screen.getAllByTestId('notes-search-result');
    expect(first.tagName).toBe('BUTTON');
    expect(first.textContent).toContain('DBT Skills');
    expect(first.textContent).toContain('15 Jan, 18:00');
    expect(first.textContent).toContain('Interventions');
    expect(first.textContent).toContain('Signed');
    expect(first.textContent).not.toContain('for ');

    const marks = first.querySelectorAll('mark');
    expect([...marks].map((m) => m.textContent)).toEqual(['grounding']);
    // Markup in a note stays text; the control characters do not show.
    expect(first.querySelector('b')).toBeNull();
    const snippet = within(first).getByTestId('notes-search-snippet');
    expect(snippet.textContent).toBe(
      '…the group practised grounding with the <b>five</b> senses…',
    );

    expect(second.textContent).toContain('Grief Circle');
    expect(second.textContent).toContain('14 Jan, 10:00');
    expect(second.textContent).toContain('Response');
    expect(second.textContent).toContain('for Marisol Ortega');
    expect(second.textContent).toContain('Draft');
    expect(third.textContent).toContain('Waiting for co-signature');
    expect(screen.getByTestId('notes-search-count').textContent).toBe(
      '3 passages match “grounding”.',
    );
  });

  it("opens the session note, or the member's chart when only that may be read", async () => {
    const navigate = vi.spyOn(signin, 'navigate');
    render(NotesSearchScreen);
    await search('grounding');
    const results = screen.getAllByTestId('notes-search-result');

    await fireEvent.click(results[1]);
    expect(navigate).toHaveBeenLastCalledWith('session', { sessionId: 9 });
    await fireEvent.click(results[2]);
    expect(navigate).toHaveBeenLastCalledWith('clients', { clientId: 102 });
  });

  it('says so when nothing matches', async () => {
    api.notesSearch.mockResolvedValue(ok([]));
    render(NotesSearchScreen);
    await search('mindfulness');
    expect(screen.getByTestId('notes-search-empty').textContent).toBe(
      'No notes match “mindfulness”.',
    );
    expect(screen.queryByTestId('notes-search-intro')).toBeNull();
  });

  it('never lets an older answer replace a newer one', async () => {
    const slow = deferred();
    api.notesSearch
      .mockReturnValueOnce(slow.promise)
      .mockResolvedValueOnce(ok([member]));
    render(NotesSearchScreen);

    await search('griev');
    await search('grief');
    expect(api.notesSearch.mock.calls).toEqual([['griev'], ['grief']]);
    expect(screen.getAllByTestId('notes-search-result')).toHaveLength(1);

    slow.resolve(ok([shared, chartOnly]));
    await settle();
    const results = screen.getAllByTestId('notes-search-result');
    expect(results).toHaveLength(1);
    expect(results[0].textContent).toContain('Grief Circle');
    expect(screen.getByTestId('notes-search-count').textContent).toBe('1 passage matches “grief”.');
  });

  it('goes back to the start when the words are cleared, without searching', async () => {
    render(NotesSearchScreen);
    await search('grounding');
    await type('   ');
    vi.advanceTimersByTime(500);
    await settle();
    expect(api.notesSearch).toHaveBeenCalledTimes(1);
    expect(screen.queryAllByTestId('notes-search-result')).toHaveLength(0);
    expect(screen.getByTestId('notes-search-intro')).toBeTruthy();
  });

  it('shows a refusal about the words beside the field', async () => {
    api.notesSearch.mockResolvedValue(
      refused('invalid', 'Search for a few words, not a passage.', 'query'),
    );
    render(NotesSearchScreen);
    await search('a very long passage');

    expect(screen.getByTestId('error-query').textContent).toContain(
      'Search for a few words, not a passage.',
    );
    expect(input().getAttribute('aria-invalid')).toBe('true');
    expect(input().value).toBe('a very long passage');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says when the search failed, and tries again', async () => {
    api.notesSearch
      .mockResolvedValueOnce(refused('locked', 'Circle is locked. Unlock to continue.'))
      .mockResolvedValue(ok([shared]));
    render(NotesSearchScreen);
    await search('grounding');

    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Circle is locked. Unlock to continue.');
    expect(input().getAttribute('aria-invalid')).toBeNull();

    await fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await settle();
    expect(api.notesSearch).toHaveBeenLastCalledWith('grounding');
    expect(screen.getAllByTestId('notes-search-result')).toHaveLength(1);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('forgets what was searched when Circle locks', async () => {
    render(NotesSearchScreen);
    await search('grounding');
    signin.clearAll();
    await settle();
    expect(screen.queryAllByTestId('notes-search-result')).toHaveLength(0);
    expect(input().value).toBe('');
  });
});
