import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signin } from '../../lib/signin.svelte';
import { ok, person, refused } from '../../lib/testing/fixtures';
import MemberMeasures from './MemberMeasures.svelte';
import { entry, GAD7, PHQ9, trend } from './fixtures';
import { forgetForms } from './measures';

const api = vi.hoisted(() => ({
  measureForms: vi.fn(),
  measureTrends: vi.fn(),
  measureEnter: vi.fn(),
  measureAcknowledgeRisk: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

const clinician = person({
  fullName: 'Priya Nair',
  role: 'clinician',
  roleLabel: 'Clinician',
  capabilities: ['scheduling', 'readWriteNotes', 'sign'],
});

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  forgetForms();
  signin.signedIn = clinician;
  api.measureForms.mockResolvedValue(ok([PHQ9, GAD7]));
  api.measureTrends.mockResolvedValue(ok([]));
});

afterEach(() => {
  signin.signedIn = null;
});

function show() {
  render(MemberMeasures, { sessionId: 40, clientId: 12, name: 'Ann Lee' });
}

describe('entering a measure in the note', () => {
  it('asks each item as a labelled radio group and puts a refusal beside the item it names', async () => {
    show();
    await fireEvent.click(await screen.findByTestId('member-12-enter-phq9'));
    const dialog = await screen.findByTestId('measure-dialog');
    expect(within(dialog).getByText(PHQ9.stem)).toBeTruthy();
    // Every item is a radio group named by its own words, with the answer words.
    const groups = within(dialog).getAllByRole('radiogroup');
    expect(groups).toHaveLength(9);
    const ninth = within(dialog).getByRole('radiogroup', { name: /better off dead/ });
    expect(within(ninth).getAllByRole('radio').map((r) => r.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      '0 Not at all',
      '1 Several days',
      '2 More than half the days',
      '3 Nearly every day',
    ]);

    api.measureEnter.mockResolvedValueOnce(
      refused('invalid', 'Answer item 3 (Trouble falling or staying asleep) before saving.', 'item3'),
    );
    await fireEvent.click(within(dialog).getByTestId('measure-item1-answer-2'));
    await fireEvent.click(within(dialog).getByTestId('measure-save'));

    const error = await within(dialog).findByTestId('error-item3');
    expect(error.textContent).toContain('Answer item 3');
    // Beside item 3, not above the form, and item 3's group says so.
    expect(within(dialog).getByTestId('measure-item3').contains(error)).toBe(true);
    expect(within(dialog).queryByTestId('measure-error')).toBeNull();
    const third = within(dialog).getByTestId('measure-item3').querySelector('[role="radiogroup"]')!;
    expect(third.getAttribute('aria-invalid')).toBe('true');
    // Only the answers are sent: Circle scores them.
    expect(api.measureEnter).toHaveBeenCalledWith({
      sessionId: 40,
      clientId: 12,
      instrument: 'phq9',
      answers: [2, null, null, null, null, null, null, null, null],
    });

    // Answering the item takes its message away.
    await fireEvent.click(within(dialog).getByTestId('measure-item3-answer-0'));
    await waitFor(() => expect(within(dialog).queryByTestId('error-item3')).toBeNull());
  });

  it("shows Circle's total and band in words and a symbol once saved", async () => {
    show();
    await fireEvent.click(await screen.findByTestId('member-12-enter-phq9'));
    const saved = entry({ id: 7, total: 16, severity: 'moderatelySevere' });
    api.measureEnter.mockResolvedValueOnce(ok(saved));
    api.measureTrends.mockResolvedValueOnce(ok([trend([saved])]));
    await fireEvent.click(screen.getByTestId('measure-save'));

    const band = await screen.findByTestId('measure-entry-7-band');
    expect(band.textContent).toContain('moderately severe');
    expect(band.textContent).toContain('◕');
    expect(screen.getByTestId('measure-entry-7-total').textContent).toBe('16');
    expect(screen.getByTestId('member-12-measures-news').textContent).toContain(
      'PHQ-9 saved: total 16, moderately severe.',
    );
    // One PHQ-9 a session: only the GAD-7 is left to enter.
    expect(screen.queryByTestId('member-12-enter-phq9')).toBeNull();
    expect(screen.getByTestId('member-12-enter-gad7')).toBeTruthy();
  });
});

describe('an open risk flag in the note', () => {
  it('says so in the member part and is acknowledged with a safety note, refused beside it when empty', async () => {
    api.measureTrends.mockResolvedValue(
      ok([trend([entry({ id: 9, total: 11, severity: 'moderate', openRisk: true })])]),
    );
    show();
    const notice = await screen.findByTestId('member-12-risk-flag');
    expect(notice.textContent).toContain('PHQ-9 item 9 answered above 0 — acknowledge with a safety note');

    await fireEvent.click(screen.getByTestId('member-12-risk-ack'));
    const dialog = await screen.findByTestId('risk-ack-dialog');
    api.measureAcknowledgeRisk.mockResolvedValueOnce(
      refused('invalid', 'Write what was done to keep the client safe (a sentence or two).', 'safetyNote'),
    );
    await fireEvent.click(within(dialog).getByTestId('risk-ack-save'));
    const error = await within(dialog).findByTestId('error-safetyNote');
    expect(error.textContent).toContain('keep the client safe');
    const note = within(dialog).getByTestId('risk-ack-note');
    expect(note.getAttribute('aria-invalid')).toBe('true');

    api.measureAcknowledgeRisk.mockResolvedValueOnce(ok(null));
    api.measureTrends.mockResolvedValue(
      ok([trend([entry({ id: 9, total: 11, severity: 'moderate', openRisk: false })])]),
    );
    await fireEvent.input(note, { target: { value: 'Safety plan reviewed.' } });
    await fireEvent.click(within(dialog).getByTestId('risk-ack-save'));
    expect(api.measureAcknowledgeRisk).toHaveBeenLastCalledWith(9, 'Safety plan reviewed.');
    await waitFor(() => expect(screen.queryByTestId('member-12-risk-flag')).toBeNull());
    expect(screen.queryByTestId('risk-ack-dialog')).toBeNull();
  });
});
