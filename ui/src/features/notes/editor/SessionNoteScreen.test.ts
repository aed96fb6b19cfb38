import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NameMatch, NoteDraftInput, NoteSaved, SessionNote } from '../../../lib/api';
import { signin } from '../../../lib/signin.svelte';
import { ok, person, refused } from '../../../lib/testing/fixtures';
import SessionNoteScreen from '../SessionNoteScreen.svelte';
import { ZONE, draftNote, groupSession, sessionNote } from './testing';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  sessionNote: vi.fn(),
  noteSaveDraft: vi.fn(),
  noteSign: vi.fn(),
  noteCosign: vi.fn(),
  noteAddAddendum: vi.fn(),
  privateNoteGet: vi.fn(),
  privateNoteSave: vi.fn(),
  measureForms: vi.fn(),
  measureTrends: vi.fn(),
  attendanceRecord: vi.fn(),
  currentSignIn: vi.fn(),
  lock: vi.fn(),
}));
vi.mock('../../../lib/api/bindings', () => ({ commands: api }));

function saved(overrides: Partial<NoteSaved> = {}) {
  return ok<NoteSaved>({
    revision: 1,
    savedAt: '2030-01-15T19:42:00Z',
    nameWarnings: [],
    ...overrides,
  });
}

function nameMatch(before: string, text: string, after: string, clientIds: number[]): NameMatch {
  return {
    release: { text, before, after },
    shownBefore: before,
    shownAfter: after,
    clientIds,
    released: false,
  };
}

function textarea(testid: string): HTMLTextAreaElement {
  return screen.getByTestId(testid) as HTMLTextAreaElement;
}

/** Types `value` as the whole content of a field (caret at the end). */
async function type(testid: string, value: string) {
  await fireEvent.input(screen.getByTestId(testid), { target: { value } });
}

function lastDraft(): NoteDraftInput {
  const calls = api.noteSaveDraft.mock.calls;
  return calls[calls.length - 1][0] as NoteDraftInput;
}

async function open(note: SessionNote) {
  api.sessionNote.mockResolvedValue(ok(note));
  render(SessionNoteScreen);
  return screen.findByTestId('session-note-heading');
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signedIn = person({ timezone: ZONE, staffId: 2, fullName: 'Dana Reyes' });
  signin.target = { sessionId: 40, groupId: 7 };
  api.currentSignIn.mockResolvedValue(ok(signin.signedIn));
  api.noteSaveDraft.mockResolvedValue(saved());
  api.measureForms.mockResolvedValue(ok([]));
  api.measureTrends.mockResolvedValue(ok([]));
});

afterEach(() => {
  signin.signedIn = null;
  signin.target = {};
});

describe('SessionNoteScreen: writing', () => {
  it('shows the session, attendance, the shared part and a section per attending member', async () => {
    const heading = await open(sessionNote());
    expect(api.sessionNote).toHaveBeenCalledWith(40);
    expect(heading.textContent).toContain('Tuesday DBT Skills · Tue 15 Jan, 18:00–19:30');
    expect(screen.getByTestId('note-status').textContent).toContain('Not started');
    expect(screen.getByTestId('note-template').textContent).toContain('GIRP');

    // Attendance for everyone booked, "Not recorded" only where nothing is.
    for (const id of [12, 13, 14, 15]) expect(screen.getByTestId(`attendance-row-${id}`)).toBeTruthy();
    const tom = screen.getByTestId('attendance-status-15') as HTMLSelectElement;
    expect(tom.value).toBe('');
    expect(tom.options[0].textContent).toBe('Not recorded');
    const bo = screen.getByTestId('attendance-status-13') as HTMLSelectElement;
    expect(bo.value).toBe('late');
    expect([...bo.options].map((o) => o.textContent)).toEqual([
      'Present',
      'Late',
      'Left early',
      'Absent (excused)',
      'No-show',
      'Late cancellation',
    ]);

    // Shared sections: labelled, guided, the required ones marked.
    const topic = textarea('shared-topic');
    expect(screen.getByLabelText(/Goal of the session/)).toBe(topic);
    expect(topic.labels?.[0].textContent).toContain('(required to sign)');
    expect(textarea('shared-process').labels?.[0].textContent).not.toContain('required');
    expect(screen.getByText("The session's topic and what the group worked towards.")).toBeTruthy();

    // Sections only for those who attended (present, late).
    expect(screen.getByTestId('member-12')).toBeTruthy();
    expect(screen.getByTestId('member-13')).toBeTruthy();
    expect(screen.queryByTestId('member-14')).toBeNull();
    expect(screen.queryByTestId('member-15')).toBeNull();
    expect(screen.getByTestId('member-absent-14').textContent?.trim()).toBe(
      'Priya Nair: no clinical note (absent — no-show)',
    );
    expect(screen.getByTestId('member-unrecorded-15').textContent).toContain(
      "Record attendance to write Tom Walsh's section.",
    );
    expect(screen.getByTestId('member-12-participation')).toBeTruthy();
    expect(screen.getByTestId('goal-501-rating-5')).toBeTruthy();
    expect(screen.getByTestId('member-13-no-goals').textContent).toContain('No active goals');
    // Nothing to sign before the first save.
    expect(screen.queryByTestId('note-sign')).toBeNull();
  });

  it('inserts a mention from the list and saves it as a token, not the name', async () => {
    await open(sessionNote());
    await type('shared-interventions', 'Paced breathing led by @zo');
    const list = screen.getByTestId('mention-list');
    expect(within(list).getAllByRole('option').map((o) => o.textContent)).toEqual(['@Zoë Martin']);
    await fireEvent.keyDown(textarea('shared-interventions'), { key: 'Enter' });
    expect(screen.queryByTestId('mention-list')).toBeNull();
    expect(textarea('shared-interventions').value).toBe('Paced breathing led by @Zoë Martin');

    await type('shared-interventions', 'Paced breathing led by @Zoë Martin with @B');
    await fireEvent.keyDown(textarea('shared-interventions'), { key: 'Tab' });
    await fireEvent.blur(textarea('shared-interventions'));
    await fireEvent.focusOut(textarea('shared-interventions'));

    await waitFor(() => expect(api.noteSaveDraft).toHaveBeenCalled());
    const input = lastDraft();
    expect(input.shared.find((s) => s.key === 'interventions')?.body).toBe(
      'Paced breathing led by @[client:12] with @[client:13]',
    );
    expect(input.revision).toBe(0);
    expect(input.members.map((m) => m.clientId)).toEqual([12, 13]);
    expect(input.members[0].goalRatings).toEqual([{ goalId: 501, rating: null, comment: '' }]);
    expect(input.members[0].riskLevel).toBeNull();
    await waitFor(() => expect(screen.getByTestId('save-status').textContent).toContain('Saved 19:42'));
    expect(screen.getByTestId('note-status').textContent).toContain('Draft');
    // Saved once: the note can now be signed.
    expect(screen.getByTestId('note-sign')).toBeTruthy();
  });

  it('moves through the mention list with the arrow keys and closes it with Escape', async () => {
    await open(sessionNote());
    await type('shared-process', '@');
    const options = within(screen.getByTestId('mention-list')).getAllByRole('option');
    expect(options).toHaveLength(4);
    expect(options[0].getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(textarea('shared-process'), { key: 'ArrowDown' });
    await fireEvent.keyDown(textarea('shared-process'), { key: 'ArrowDown' });
    expect(screen.getByTestId('mention-option-14').getAttribute('aria-selected')).toBe('true');
    expect(textarea('shared-process').getAttribute('aria-activedescendant')).toBe(
      screen.getByTestId('mention-option-14').id,
    );
    await fireEvent.keyDown(textarea('shared-process'), { key: 'Escape' });
    expect(screen.queryByTestId('mention-list')).toBeNull();
    // Typing on after Escape keeps it closed for that "@".
    await type('shared-process', '@P');
    expect(screen.queryByTestId('mention-list')).toBeNull();
  });

  it('shows the name warning from a save under that section', async () => {
    api.noteSaveDraft.mockResolvedValue(
      saved({
        nameWarnings: [
          {
            sectionKey: 'process',
            clientIds: [12, 13],
            matches: [
              nameMatch('', 'Zoë Martin', ' and Bo spoke first.', [12]),
              nameMatch('Zoë Martin and ', 'Bo', ' spoke first.', [13]),
            ],
          },
        ],
      }),
    );
    await open(sessionNote());
    await type('shared-process', 'Zoë Martin and Bo spoke first.');
    await fireEvent.focusOut(textarea('shared-process'));
    const warning = await screen.findByTestId('name-warning-process');
    expect(within(warning).getByRole('status')).toBeTruthy();
    expect(warning.textContent).toContain('Zoë Martin and Bo Chen are named here in plain text.');
    expect(warning.textContent).toContain('Use @ to mention members.');
    expect(screen.queryByTestId('name-warning-topic')).toBeNull();
  });

  it('shows the warnings the note arrives with', async () => {
    await open(
      draftNote({
        nameWarnings: [
          { sectionKey: 'topic', clientIds: [12], matches: [nameMatch('', 'Zoë', ' opened.', [12])] },
        ],
      }),
    );
    expect(screen.getByTestId('name-warning-topic').textContent).toContain(
      "Zoë Martin is named here in plain text. In the other members' records the name becomes a neutral label such as “Member B”.",
    );
  });

  it('lists each name in context and marks one "not a name" in the next save', async () => {
    const hope = nameMatch('…The group saw a ', 'ray', ' of hope.', [12]);
    api.noteSaveDraft.mockResolvedValue(
      saved({
        nameWarnings: [
          {
            sectionKey: 'topic',
            clientIds: [12],
            matches: [nameMatch('', 'Ray', ' came first. The group…', [12]), hope],
          },
        ],
      }),
    );
    await open(sessionNote());
    await type('shared-topic', 'Ray came first. The group saw a ray of hope.');
    await fireEvent.focusOut(textarea('shared-topic'));
    const second = await screen.findByTestId('name-match-topic-1');
    expect(second.textContent).toContain('…The group saw a ray of hope.');
    expect(second.textContent).toContain('Becomes a label');
    expect(lastDraft().released).toEqual([]);

    const toggle = screen.getByTestId('name-match-topic-1-toggle');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    await fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(second.textContent).toContain('Not a name: stays as written');
    expect(screen.getByTestId('name-match-topic-0').textContent).toContain('Becomes a label');
    await fireEvent.focusOut(textarea('shared-topic'));
    await waitFor(() =>
      expect(lastDraft().released).toEqual([{ sectionKey: 'topic', release: hope.release }]),
    );

    // Undo takes it back out of what is saved.
    await fireEvent.click(toggle);
    await fireEvent.focusOut(textarea('shared-topic'));
    await waitFor(() => expect(lastDraft().released).toEqual([]));
  });

  it('keeps a mark the note arrives with', async () => {
    const hope = { ...nameMatch('saw a ', 'ray', ' of hope.', [12]), released: true };
    await open(
      draftNote({ nameWarnings: [{ sectionKey: 'topic', clientIds: [], matches: [hope] }] }),
    );
    expect(screen.getByTestId('name-warning-topic').textContent).toContain(
      "Every word here that is also a member's name is marked “Not a name”",
    );
    await type('shared-topic', 'We saw a ray of hope. More.');
    await fireEvent.focusOut(textarea('shared-topic'));
    await waitFor(() =>
      expect(lastDraft().released).toEqual([{ sectionKey: 'topic', release: hope.release }]),
    );
  });

  it('keeps the text after a failed save, says why beside the field, and tries again', async () => {
    api.noteSaveDraft
      .mockResolvedValueOnce(refused('invalid', 'Keep a section under 20000 characters.', 'members.12.plan'))
      .mockResolvedValue(saved({ revision: 4 }));
    await open(draftNote());
    await type('member-12-plan', 'A very long plan');
    await fireEvent.focusOut(textarea('member-12-plan'));

    const status = screen.getByTestId('save-status');
    await waitFor(() =>
      expect(status.textContent).toContain(
        'Not saved: Keep a section under 20000 characters. Your text is still here; Circle will try again.',
      ),
    );
    expect(textarea('member-12-plan').value).toBe('A very long plan');
    expect(screen.getByTestId('error-members.12.plan').textContent).toContain('Keep a section under');
    expect(lastDraft().revision).toBe(3);

    await fireEvent.click(screen.getByTestId('save-retry'));
    await waitFor(() => expect(status.textContent).toContain('Saved 19:42'));
    expect(api.noteSaveDraft).toHaveBeenCalledTimes(2);
    expect(screen.queryByTestId('error-members.12.plan')).toBeNull();
    expect(textarea('member-12-plan').value).toBe('A very long plan');
  });

  it('keeps what was typed on a full disk, says so, and saves it by itself once there is room', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      api.noteSaveDraft
        .mockResolvedValueOnce(
          refused(
            'io',
            'The disk is full or cannot be written to, so Circle could not save. Make room on the disk (or reconnect the drive), then try again.',
          ),
        )
        .mockResolvedValue(saved({ revision: 4 }));
      await open(draftNote());
      await type('shared-topic', 'Typed while the disk was full.');
      await fireEvent.focusOut(textarea('shared-topic'));

      const status = screen.getByTestId('save-status');
      await waitFor(() => expect(status.textContent).toContain('Not saved: The disk is full'));
      expect(status.textContent).toContain('Your text is still here; Circle will try again.');
      expect(textarea('shared-topic').value).toBe('Typed while the disk was full.');
      // Saves that carried the text (a timer left by an earlier test's
      // screen may add a save of its own, without it).
      const withText = () =>
        api.noteSaveDraft.mock.calls.filter(
          ([input]) =>
            (input as NoteDraftInput).shared.find((s) => s.key === 'topic')?.body ===
            'Typed while the disk was full.',
        ).length;
      expect(withText()).toBe(1);

      // Nobody touches the note; room is made meanwhile, and Circle tries again.
      await vi.advanceTimersByTimeAsync(5000);
      await waitFor(() => expect(status.textContent).toContain('Saved 19:42'));
      expect(withText()).toBe(2);
      expect(screen.queryByTestId('save-retry')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends ratings, comments and risk for each attending member', async () => {
    await open(draftNote());
    expect((screen.getByTestId('goal-501-rating-3') as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(screen.getByTestId('goal-501-rating-5'));
    await type('goal-501-comment', 'Used TIPP twice this week.');
    await fireEvent.change(screen.getByTestId('member-13-risk-level'), { target: { value: 'low' } });
    await type('member-13-risk-text', 'Mentioned poor sleep; no plan or intent.');
    await fireEvent.focusOut(screen.getByTestId('member-13-risk-text'));

    await waitFor(() => expect(api.noteSaveDraft).toHaveBeenCalled());
    const input = lastDraft();
    expect(input.members[0].goalRatings).toEqual([
      { goalId: 501, rating: 5, comment: 'Used TIPP twice this week.' },
    ]);
    expect(input.members[1]).toMatchObject({
      clientId: 13,
      riskLevel: 'low',
      riskText: 'Mentioned poor sleep; no plan or intent.',
    });
  });

  it('saves what is unsaved before Circle locks', async () => {
    await open(draftNote());
    await type('shared-process', 'Typed just before locking');
    expect(api.noteSaveDraft).not.toHaveBeenCalled();
    await signin.flushBeforeLock();
    expect(api.noteSaveDraft).toHaveBeenCalledTimes(1);
    expect(lastDraft().shared.find((s) => s.key === 'process')?.body).toBe('Typed just before locking');
  });
});

describe('SessionNoteScreen: attendance', () => {
  it('records attendance, reloads the note and keeps the unsaved text', async () => {
    await open(draftNote());
    await type('shared-topic', 'Typed while recording attendance');

    const reloaded = draftNote();
    reloaded.members[3] = { ...reloaded.members[3], attendance: 'leftEarly' };
    api.sessionNote.mockResolvedValue(ok(reloaded));
    api.attendanceRecord.mockResolvedValue(
      ok({ sessionId: 40, clientId: 15, status: 'leftEarly', arrivedAt: null, leftAt: '2030-01-15T19:05:00Z' }),
    );

    expect(screen.queryByTestId('attendance-left-15')).toBeNull();
    await fireEvent.change(screen.getByTestId('attendance-status-15'), { target: { value: 'leftEarly' } });
    // The leaving time is asked for before recording.
    await fireEvent.click(screen.getByTestId('attendance-save-15'));
    expect(api.attendanceRecord).not.toHaveBeenCalled();
    expect(screen.getByTestId('error-leftAt-15').textContent).toContain('Enter when they left');

    await fireEvent.input(screen.getByTestId('attendance-left-15'), { target: { value: '19:05' } });
    await fireEvent.click(screen.getByTestId('attendance-save-15'));
    await waitFor(() =>
      expect(api.attendanceRecord).toHaveBeenCalledWith({
        sessionId: 40,
        clientId: 15,
        status: 'leftEarly',
        arrivedAt: null,
        leftAt: '19:05',
      }),
    );
    expect(await screen.findByTestId('member-15')).toBeTruthy();
    expect(api.sessionNote).toHaveBeenCalledTimes(2);
    expect(textarea('shared-topic').value).toBe('Typed while recording attendance');
    expect(screen.queryByTestId('member-unrecorded-15')).toBeNull();
  });

  it('shows a refusal in the row', async () => {
    api.attendanceRecord.mockResolvedValue(refused('invalid', 'That session has not started yet.'));
    await open(sessionNote());
    await fireEvent.change(screen.getByTestId('attendance-status-15'), { target: { value: 'present' } });
    await fireEvent.click(screen.getByTestId('attendance-save-15'));
    const row = screen.getByTestId('attendance-row-15');
    await waitFor(() => expect(row.textContent).toContain('That session has not started yet.'));
  });
});

describe('SessionNoteScreen: signing', () => {
  it('saves first, asks, then signs the saved revision', async () => {
    api.noteSaveDraft.mockResolvedValue(saved({ revision: 4 }));
    const signed = draftNote({
      status: 'signed',
      revision: 4,
      canEdit: false,
      canSign: false,
      signature: {
        staff: { id: 2, fullName: 'Dana Reyes' },
        signedAt: '2030-01-15T19:50:00Z',
        contentHash: 'ab',
      },
    });
    api.noteSign.mockResolvedValue(ok(signed));
    await open(draftNote());
    await type('shared-process', 'Last words');
    await fireEvent.click(screen.getByTestId('note-sign'));

    const dialog = await screen.findByTestId('sign-dialog');
    expect(api.noteSaveDraft).toHaveBeenCalledTimes(1);
    expect(dialog.textContent).toContain(
      'Once signed it cannot be changed; later changes are signed addenda.',
    );
    await fireEvent.click(screen.getByTestId('note-sign-confirm'));
    await waitFor(() => expect(api.noteSign).toHaveBeenCalledWith(40, 4));
    expect((await screen.findByTestId('note-signature')).textContent).toContain(
      'Signed by Dana Reyes on Tue 15 Jan, 19:50',
    );
    expect(screen.getByTestId('note-status').textContent).toContain('Signed');
    expect(screen.queryByTestId('shared-topic')).toBeNull();
  });

  it('shows a refusal beside the field it names and moves focus there', async () => {
    api.noteSign.mockResolvedValue(
      refused('invalid', 'Fill in “Interventions” before signing.', 'shared.interventions'),
    );
    await open(draftNote({ shared: [{ key: 'topic', body: 'Topic' }] }));
    await fireEvent.click(screen.getByTestId('note-sign'));
    await fireEvent.click(await screen.findByTestId('note-sign-confirm'));

    const error = await screen.findByTestId('error-shared.interventions');
    expect(error.textContent).toContain('Fill in “Interventions” before signing.');
    const field = textarea('shared-interventions');
    expect(field.closest('.note-field')?.contains(error)).toBe(true);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(field));
    expect(screen.queryByTestId('sign-dialog')).toBeNull();

    // Writing there takes the message away.
    await type('shared-interventions', 'Chain analysis');
    expect(screen.queryByTestId('error-shared.interventions')).toBeNull();
  });

  it('puts attendance refusals at the attendance list and a member\'s beside their row', async () => {
    api.noteSign
      .mockResolvedValueOnce(refused('invalid', "Record every member's attendance before signing.", 'attendance'))
      .mockResolvedValueOnce(
        refused('invalid', 'This member is now marked absent. Save the note again so their section is removed.', 'members.14'),
      );
    await open(draftNote());
    await fireEvent.click(screen.getByTestId('note-sign'));
    await fireEvent.click(await screen.findByTestId('note-sign-confirm'));
    expect((await screen.findByTestId('error-attendance')).textContent).toContain('Record every member');
    await waitFor(() => expect(document.activeElement?.id).toBe('note-attendance-heading'));

    await fireEvent.click(screen.getByTestId('note-sign'));
    await fireEvent.click(await screen.findByTestId('note-sign-confirm'));
    const beside = await screen.findByTestId('error-members.14');
    expect(screen.getByTestId('attendance-row-14').contains(beside)).toBe(true);
    expect(screen.queryByTestId('error-attendance')).toBeNull();
  });

  it('shows other refusals in a notice', async () => {
    api.noteSign.mockResolvedValue(
      refused('conflict', 'The note changed since you last saw it. Review it and sign again.'),
    );
    await open(draftNote());
    await fireEvent.click(screen.getByTestId('note-sign'));
    await fireEvent.click(await screen.findByTestId('note-sign-confirm'));
    expect((await screen.findByTestId('note-problem')).textContent).toContain(
      'The note changed since you last saw it.',
    );
  });
});

describe('SessionNoteScreen: signed and pending notes', () => {
  const signature = {
    staff: { id: 3, fullName: 'Ben Osei' },
    signedAt: '2030-01-15T20:05:00Z',
    contentHash: 'cd',
  };

  it('shows a signed note as text with its signature and no fields', async () => {
    await open(draftNote({ status: 'signed', canEdit: false, canSign: false, signature }));
    expect(screen.getByTestId('note-signature').textContent).toContain(
      'Signed by Ben Osei on Tue 15 Jan, 20:05',
    );
    expect(screen.getByTestId('note-status').textContent).toContain('Signed');
    expect(document.querySelectorAll('textarea:not([data-testid="addendum-body"])')).toHaveLength(0);
    expect(screen.queryByTestId('attendance-status-12')).toBeNull();
    expect(screen.getByTestId('note-text-shared-interventions').textContent).toBe(
      '@Zoë Martin led the paced-breathing practice.',
    );
    expect(screen.getByTestId('note-text-member-12-plan').textContent).toBe('Diary card daily.');
    expect(screen.getByTestId('read-goal-501').textContent).toContain('3 of 5');
    expect(screen.getByTestId('read-risk-12').textContent).toContain('None');
    expect(screen.getByTestId('member-absent-14')).toBeTruthy();
    expect(screen.queryByTestId('note-cosign')).toBeNull();
  });

  it('offers Co-sign only to the co-signer, and asks first', async () => {
    const pending = draftNote({
      status: 'pendingCosign',
      canEdit: false,
      canSign: false,
      signature,
      awaitingCosigner: { id: 2, fullName: 'Dana Reyes' },
      canCosign: true,
    });
    api.noteCosign.mockResolvedValue(
      ok({
        ...pending,
        status: 'signed',
        canCosign: false,
        awaitingCosigner: null,
        cosignature: { staff: { id: 2, fullName: 'Dana Reyes' }, signedAt: '2030-01-16T09:00:00Z', contentHash: 'cd' },
      }),
    );
    await open(pending);
    expect(screen.getByTestId('note-awaiting-cosign').textContent).toContain(
      'Waiting for co-signature by Dana Reyes',
    );
    expect(screen.getByTestId('note-status').textContent).toContain('Waiting for co-signature');
    await fireEvent.click(screen.getByTestId('note-cosign'));
    expect(api.noteCosign).not.toHaveBeenCalled();
    await fireEvent.click(await screen.findByTestId('note-cosign-confirm'));
    await waitFor(() => expect(api.noteCosign).toHaveBeenCalledWith(40));
    expect((await screen.findByTestId('note-cosignature')).textContent).toContain(
      'Co-signed by Dana Reyes on Wed 16 Jan, 09:00',
    );
  });

  it('has no Co-sign button for anyone else', async () => {
    await open(
      draftNote({
        status: 'pendingCosign',
        canEdit: false,
        signature,
        awaitingCosigner: { id: 4, fullName: 'Inés Duarte' },
        canCosign: false,
      }),
    );
    expect(screen.getByTestId('note-awaiting-cosign').textContent).toContain('Inés Duarte');
    expect(screen.queryByTestId('note-cosign')).toBeNull();
  });

  it('signs an addendum for one member, and shows refusals beside their field', async () => {
    const signedNote = draftNote({ status: 'signed', canEdit: false, signature });
    await open(signedNote);
    const target = screen.getByTestId('addendum-target') as HTMLSelectElement;
    // Only members with a section in the note.
    expect([...target.options].map((o) => o.textContent)).toEqual([
      'Whole group (shared part)',
      "Zoë Martin's section",
    ]);

    api.noteAddAddendum.mockResolvedValueOnce(
      refused('invalid', 'This member has no section in the note to add to.', 'addendumMember'),
    );
    await fireEvent.change(target, { target: { value: '12' } });
    await type('addendum-body', 'Called after the session: she is safe.');
    await fireEvent.click(screen.getByTestId('addendum-sign'));
    expect((await screen.findByTestId('error-addendumMember')).textContent).toContain(
      'no section in the note',
    );
    expect(api.noteAddAddendum).toHaveBeenCalledWith(40, 12, 'Called after the session: she is safe.');

    api.noteAddAddendum.mockResolvedValue(
      ok({
        ...signedNote,
        addenda: [
          {
            id: 9,
            clientId: 12,
            body: 'Called after the session: she is safe.',
            author: { id: 2, fullName: 'Dana Reyes' },
            signedAt: '2030-01-16T10:15:00Z',
          },
        ],
      }),
    );
    await fireEvent.click(screen.getByTestId('addendum-sign'));
    const added = await screen.findByTestId('addendum-9');
    expect(added.textContent).toContain("Zoë Martin's section");
    expect(added.textContent).toContain('Signed by Dana Reyes on Wed 16 Jan, 10:15');
    expect(textarea('addendum-body').value).toBe('');
  });

  it('signs an addendum for the shared part with no client id', async () => {
    const signedNote = draftNote({ status: 'signed', canEdit: false, signature });
    api.noteAddAddendum.mockResolvedValue(ok(signedNote));
    await open(signedNote);
    await type('addendum-body', 'Correction: the exercise was TIPP, not ACCEPTS.');
    await fireEvent.click(screen.getByTestId('addendum-sign'));
    await waitFor(() =>
      expect(api.noteAddAddendum).toHaveBeenCalledWith(
        40,
        null,
        'Correction: the exercise was TIPP, not ACCEPTS.',
      ),
    );
  });
});

describe('SessionNoteScreen: other states', () => {
  it('says a cancelled session takes no note, with no editor', async () => {
    await open(
      sessionNote({ session: { ...sessionNote().session, status: 'cancelled' }, canEdit: false }),
    );
    expect(screen.getByTestId('note-cancelled').textContent).toBe(
      'This session was cancelled; it takes no note.',
    );
    expect(screen.queryByTestId('shared-topic')).toBeNull();
    expect(screen.queryByTestId('attendance-row-12')).toBeNull();
  });

  it('shows a load error with Try again', async () => {
    api.sessionNote
      .mockResolvedValueOnce(refused('storage', 'Circle could not read the vault.'))
      .mockResolvedValue(ok(sessionNote()));
    render(SessionNoteScreen);
    expect((await screen.findByTestId('note-load-error')).textContent).toContain(
      'Circle could not read the vault.',
    );
    await fireEvent.click(screen.getByTestId('note-retry'));
    expect(await screen.findByTestId('session-note-heading')).toBeTruthy();
  });

  it('opens a private note, says who can read it, and saves it on its own', async () => {
    api.privateNoteGet.mockResolvedValue(
      ok({ sessionId: 40, clientId: 12, body: '', updatedAt: null, readable: true }),
    );
    api.privateNoteSave.mockResolvedValue(
      ok({ sessionId: 40, clientId: 12, body: 'Countertransference: tired.', updatedAt: '2030-01-15T19:45:00Z', readable: true }),
    );
    await open(draftNote());
    const toggle = screen.getByTestId('private-note-toggle-12');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await screen.findByTestId('private-note-12');
    expect(api.privateNoteGet).toHaveBeenCalledWith(40, 12);
    expect(screen.getByText(/Only you can read this. It is not part of the record, search or exports./)).toBeTruthy();

    await type('private-note-12', 'Countertransference: tired.');
    await fireEvent.click(screen.getByTestId('private-note-save-12'));
    await waitFor(() =>
      expect(api.privateNoteSave).toHaveBeenCalledWith(40, 12, 'Countertransference: tired.'),
    );
    await waitFor(() =>
      expect(screen.getByTestId('private-note-status-12').textContent).toContain('Saved 19:45'),
    );
    // Not part of the note's draft.
    expect(api.noteSaveDraft).not.toHaveBeenCalled();
  });

  it('says when a private note was sealed with a key no longer held', async () => {
    api.privateNoteGet.mockResolvedValue(
      ok({ sessionId: 40, clientId: 12, body: '', updatedAt: '2029-12-01T10:00:00Z', readable: false }),
    );
    await open(draftNote());
    await fireEvent.click(screen.getByTestId('private-note-toggle-12'));
    expect((await screen.findByTestId('private-note-sealed-12')).textContent).toContain(
      'sealed with a key you no longer hold',
    );
    expect(screen.queryByTestId('private-note-12')).toBeNull();
  });

  it('goes back to the group after saving', async () => {
    await open(draftNote());
    await type('shared-process', 'One more line');
    await fireEvent.click(screen.getByTestId('note-back'));
    await waitFor(() => expect(signin.screen).toBe('groups'));
    expect(signin.target).toEqual({ groupId: 7 });
    expect(api.noteSaveDraft).toHaveBeenCalledTimes(1);
  });

  it("heads an individual session's note by its kind and client, and goes back to the schedule", async () => {
    const heading = await open(
      draftNote({
        session: {
          ...groupSession,
          groupName: 'Individual session',
          format: 'individual',
          clientNames: ['Kwame Mensah'],
        },
      }),
    );
    expect(heading.textContent).toContain('Individual session · Kwame Mensah');
    const back = screen.getByTestId('note-back');
    expect(back.textContent).toContain('Back to the schedule');
    await fireEvent.click(back);
    await waitFor(() => expect(signin.screen).toBe('schedule'));
    expect(signin.target).toEqual({ date: '2030-01-15' });
  });
});
