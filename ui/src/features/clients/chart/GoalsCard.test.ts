import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type uPlot from 'uplot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signin } from '../../../lib/signin.svelte';
import { ok, person, refused } from '../../../lib/testing/fixtures';
import { formatDay } from '../format';
import GoalsCard from './GoalsCard.svelte';
import { goal, point, progress } from './fixtures';

const api = vi.hoisted(() => ({
  clientGoals: vi.fn(),
  goalCreate: vi.fn(),
  goalUpdate: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../../lib/api/bindings', () => ({ commands: api }));

// jsdom has no canvas: a stand-in records what TrendChart asks uPlot to draw.
const plots = vi.hoisted(() => ({ made: [] as { data: uPlot.AlignedData; label: unknown }[] }));
vi.mock('uplot', async () => {
  const { vi } = await import('vitest');
  class FakePlot {
    width: number;
    setSize = vi.fn();
    destroy = vi.fn();
    constructor(opts: uPlot.Options, data: uPlot.AlignedData) {
      this.width = opts.width;
      plots.made.push({ data, label: opts.series[1]?.label });
    }
  }
  return { default: FakePlot };
});

const TODAY = '2024-04-02';

function field(testid: string): HTMLElement {
  return screen.getByTestId(testid).closest<HTMLElement>('.field')!;
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  plots.made.length = 0;
  signin.signedIn = person();
  api.currentSignIn.mockResolvedValue(ok(person()));
});

afterEach(() => {
  signin.clearAll();
});

describe('GoalsCard', () => {
  it('shows each goal with its status, dates, trend and latest comment', async () => {
    api.clientGoals.mockResolvedValue(
      ok([
        progress(goal(1), [
          point(90, '2024-03-05', 2, 'Quiet, but stayed.'),
          point(91, '2024-03-12', 4, 'Spoke up twice about work.'),
        ]),
        progress(goal(2, { text: 'Sleep by midnight', status: 'met', targetOn: null }), []),
      ]),
    );
    render(GoalsCard, { clientId: 7, today: TODAY });

    const first = await screen.findByTestId('goal-1');
    expect(api.clientGoals).toHaveBeenCalledWith(7);
    expect(first.textContent).toContain('Speak up once in every group');
    expect(screen.getByTestId('goal-status-1').textContent).toContain('Active');
    expect(first.textContent).toContain(`Started ${formatDay('2024-01-09', TODAY)}`);
    expect(first.textContent).toContain(`Target ${formatDay('2024-06-30', TODAY)}`);
    const chart = await within(first).findByTestId('trend-chart');
    expect(chart.getAttribute('data-points')).toBe('2');
    expect(within(first).getByRole('img').getAttribute('aria-label')).toMatch(
      /^Speak up once in every group: rated 2 on .*, 4 on /,
    );
    expect(plots.made).toHaveLength(1);
    expect(plots.made[0].data[1]).toEqual([2, 4]);
    expect(plots.made[0].label).toBe('Speak up once in every group');
    const latest = screen.getByTestId('goal-latest-1');
    expect(latest.textContent).toContain('4 of 5');
    expect(latest.textContent).toContain('Spoke up twice about work.');
    expect(first.textContent).not.toContain('Quiet, but stayed.');

    const second = screen.getByTestId('goal-2');
    expect(screen.getByTestId('goal-status-2').textContent).toContain('Met');
    expect(second.textContent).toContain('No target date');
    expect((await within(second).findByTestId('trend-chart')).getAttribute('data-points')).toBe('0');
    expect(screen.queryByTestId('goal-latest-2')).toBeNull();
  });

  it('says how goals start when there are none', async () => {
    api.clientGoals.mockResolvedValue(ok([]));
    render(GoalsCard, { clientId: 7, today: TODAY });
    expect((await screen.findByTestId('goals-empty')).textContent?.trim()).toBe(
      'No goals yet. Add the goals agreed with the client; session notes rate progress on them.',
    );
    expect(screen.getByTestId('goal-add')).toBeTruthy();
  });

  it('adds a goal starting today, then shows it', async () => {
    api.clientGoals.mockResolvedValueOnce(ok([]));
    const created = goal(5, { text: 'Use one skill a day', startedOn: TODAY, targetOn: '2024-09-30' });
    api.goalCreate.mockResolvedValue(ok(created));
    api.clientGoals.mockResolvedValueOnce(ok([progress(created)]));
    const onChanged = vi.fn();
    render(GoalsCard, { clientId: 7, today: TODAY, onChanged });

    await fireEvent.click(await screen.findByTestId('goal-add'));
    const text = screen.getByTestId('goal-text') as HTMLTextAreaElement;
    expect(text.tagName).toBe('TEXTAREA');
    expect(document.activeElement).toBe(text);
    expect((screen.getByTestId('goal-started') as HTMLInputElement).value).toBe(TODAY);
    expect((screen.getByTestId('goal-target') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('goal-status') as HTMLSelectElement).value).toBe('active');
    // Every field is labelled.
    expect(screen.getByLabelText('Goal')).toBe(text);
    expect(field('goal-started').textContent).toContain('Started on');

    await fireEvent.input(text, { target: { value: '  Use one skill a day ' } });
    await fireEvent.input(screen.getByTestId('goal-target'), { target: { value: '2024-09-30' } });
    await fireEvent.click(screen.getByTestId('goal-save'));

    await waitFor(() => expect(screen.getByTestId('goal-5')).toBeTruthy());
    expect(api.goalCreate).toHaveBeenCalledWith(7, {
      text: 'Use one skill a day',
      startedOn: TODAY,
      targetOn: '2024-09-30',
      status: 'active',
    });
    expect(api.clientGoals).toHaveBeenCalledTimes(2);
    expect(onChanged).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('goal-form')).toBeNull();
    expect(screen.getByTestId('goals-news').textContent).toBe('Goal added.');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('goal-edit-5')));
  });

  it('sends no target date when none is given', async () => {
    api.clientGoals.mockResolvedValue(ok([]));
    api.goalCreate.mockResolvedValue(ok(goal(5)));
    render(GoalsCard, { clientId: 7, today: TODAY });
    await fireEvent.click(await screen.findByTestId('goal-add'));
    await fireEvent.input(screen.getByTestId('goal-text'), { target: { value: 'Walk daily' } });
    await fireEvent.change(screen.getByTestId('goal-status'), { target: { value: 'revised' } });
    await fireEvent.click(screen.getByTestId('goal-save'));
    await waitFor(() => expect(api.goalCreate).toHaveBeenCalled());
    expect(api.goalCreate).toHaveBeenCalledWith(7, {
      text: 'Walk daily',
      startedOn: TODAY,
      targetOn: null,
      status: 'revised',
    });
  });

  it('shows a refusal beside the field it names and keeps what was typed', async () => {
    api.clientGoals.mockResolvedValue(ok([]));
    api.goalCreate.mockResolvedValue(
      refused('invalid', 'The target date cannot be before the start date.', 'targetOn'),
    );
    render(GoalsCard, { clientId: 7, today: TODAY });
    await fireEvent.click(await screen.findByTestId('goal-add'));
    await fireEvent.input(screen.getByTestId('goal-text'), { target: { value: 'Call a friend weekly' } });
    await fireEvent.input(screen.getByTestId('goal-target'), { target: { value: '2024-01-01' } });
    await fireEvent.click(screen.getByTestId('goal-save'));

    const error = await screen.findByTestId('error-targetOn');
    expect(error.textContent).toContain('The target date cannot be before the start date.');
    expect(field('goal-target').contains(error)).toBe(true);
    expect(field('goal-text').contains(error)).toBe(false);
    const target = screen.getByTestId('goal-target');
    const typed = field('goal-target').querySelector('[data-date-input]');
    expect(typed?.getAttribute('aria-invalid')).toBe('true');
    expect(typed?.getAttribute('aria-describedby')).toContain(error.id);
    await waitFor(() => expect(typed?.contains(document.activeElement)).toBe(true));

    expect((screen.getByTestId('goal-text') as HTMLTextAreaElement).value).toBe('Call a friend weekly');
    expect((target as HTMLInputElement).value).toBe('2024-01-01');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(api.clientGoals).toHaveBeenCalledTimes(1);

    // Changing the field clears its message.
    await fireEvent.input(target, { target: { value: '2024-12-01' } });
    expect(screen.queryByTestId('error-targetOn')).toBeNull();
  });

  it('edits a goal in place with the same form', async () => {
    const before = goal(1);
    const after = goal(1, { text: 'Speak up twice in every group', status: 'revised' });
    api.clientGoals.mockResolvedValueOnce(ok([progress(before)]));
    api.clientGoals.mockResolvedValueOnce(ok([progress(after)]));
    api.goalUpdate.mockResolvedValue(ok(after));
    render(GoalsCard, { clientId: 7, today: TODAY });

    await fireEvent.click(await screen.findByTestId('goal-edit-1'));
    const item = screen.getByTestId('goal-1');
    const text = within(item).getByTestId('goal-text') as HTMLTextAreaElement;
    expect(text.value).toBe('Speak up once in every group');
    expect((screen.getByTestId('goal-started') as HTMLInputElement).value).toBe('2024-01-09');
    expect((screen.getByTestId('goal-target') as HTMLInputElement).value).toBe('2024-06-30');

    await fireEvent.input(text, { target: { value: 'Speak up twice in every group' } });
    await fireEvent.change(screen.getByTestId('goal-status'), { target: { value: 'revised' } });
    await fireEvent.click(screen.getByTestId('goal-save'));

    await waitFor(() => expect(screen.getByTestId('goal-status-1').textContent).toContain('Revised'));
    expect(api.goalUpdate).toHaveBeenCalledWith(1, {
      text: 'Speak up twice in every group',
      startedOn: '2024-01-09',
      targetOn: '2024-06-30',
      status: 'revised',
    });
    expect(api.goalCreate).not.toHaveBeenCalled();
    expect(screen.getByTestId('goal-1').textContent).toContain('Speak up twice in every group');
    expect(screen.getByTestId('goals-news').textContent).toBe('Goal saved.');
  });

  it('puts focus back on Edit when the form is cancelled', async () => {
    api.clientGoals.mockResolvedValue(ok([progress(goal(1))]));
    render(GoalsCard, { clientId: 7, today: TODAY });
    await fireEvent.click(await screen.findByTestId('goal-edit-1'));
    await fireEvent.click(screen.getByTestId('goal-cancel'));
    expect(screen.queryByTestId('goal-form')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('goal-edit-1')));
    expect(api.goalUpdate).not.toHaveBeenCalled();
  });

  it('says calmly when the goals are outside this person’s groups', async () => {
    api.clientGoals.mockResolvedValue(refused('forbidden', 'Not one of your groups.'));
    render(GoalsCard, { clientId: 7, today: TODAY });
    expect((await screen.findByTestId('goals-out-of-scope')).textContent).toBe(
      'You can read notes only for clients in groups you facilitate.',
    );
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByTestId('goal-add')).toBeNull();
  });

  it('offers to try again when the goals cannot load', async () => {
    api.clientGoals.mockResolvedValueOnce(refused('storage', 'Circle could not read the vault.'));
    api.clientGoals.mockResolvedValueOnce(ok([progress(goal(1))]));
    render(GoalsCard, { clientId: 7, today: TODAY });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Circle could not read the vault.');
    await fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('goal-1')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
