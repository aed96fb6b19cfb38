import { render, screen, within } from '@testing-library/svelte';
import type uPlot from 'uplot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GroupMeasure } from '../../lib/api';
import { signin } from '../../lib/signin.svelte';
import { frontDesk, ok, person, refused } from '../../lib/testing/fixtures';
import { GAD7, PHQ9 } from '../measures/fixtures';
import { forgetForms } from '../measures/measures';
import GroupMeasuresCard from './GroupMeasuresCard.svelte';

const api = vi.hoisted(() => ({
  measureForms: vi.fn(),
  measureGroupSummary: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

// jsdom has no canvas: a stand-in records what the chart asks uPlot to draw.
const plots = vi.hoisted(() => ({ made: [] as { opts: uPlot.Options; data: uPlot.AlignedData }[] }));
vi.mock('uplot', async () => {
  const { vi } = await import('vitest');
  class FakePlot {
    width: number;
    setSize = vi.fn();
    destroy = vi.fn();
    constructor(opts: uPlot.Options, data: uPlot.AlignedData) {
      this.width = opts.width;
      plots.made.push({ opts, data });
    }
  }
  return { default: FakePlot };
});

/** The names of the members whose scores these figures were drawn from. */
const MEMBERS = ['Ada Brennan', 'Bo Chen', 'Cleo Diaz', 'Dev Essa'];

const phq9: GroupMeasure = {
  instrument: 'phq9',
  sessions: [
    { sessionId: 40, date: '2030-01-08', count: 2, median: null },
    { sessionId: 41, date: '2030-01-15', count: 4, median: 16.5 },
    { sessionId: 42, date: '2030-01-22', count: 1, median: null },
    { sessionId: 43, date: '2030-01-29', count: 3, median: 12 },
  ],
  latestSpread: [
    { severity: 'minimal', words: 'minimal', members: 0 },
    { severity: 'mild', words: 'mild', members: 1 },
    { severity: 'moderate', words: 'moderate', members: 2 },
    { severity: 'moderatelySevere', words: 'moderately severe', members: 1 },
    { severity: 'severe', words: 'severe', members: 0 },
  ],
};

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  forgetForms();
  plots.made = [];
  signin.signedIn = person();
  api.measureForms.mockResolvedValue(ok([PHQ9, GAD7]));
});

afterEach(() => {
  signin.signedIn = null;
});

describe('GroupMeasuresCard', () => {
  it('draws the medians over the bands, says how many sessions are withheld and tables the spread, naming no one', async () => {
    api.measureGroupSummary.mockResolvedValue(ok([phq9]));
    render(GroupMeasuresCard, { groupId: 7 });

    await screen.findByTestId('group-measure-phq9');
    expect(api.measureGroupSummary).toHaveBeenCalledWith(7);
    expect(screen.getByTestId('group-measure-phq9-latest').textContent).toMatch(
      /Latest median:\s*12\s*of 27,\s*◑ moderate\s*\(3 scores\)/,
    );

    // Only the medians are drawn: the withheld sessions are not points.
    expect(plots.made).toHaveLength(1);
    expect(plots.made[0].data[1]).toEqual([16.5, 12]);
    expect(plots.made[0].opts.scales?.y?.range).toEqual([0, 27]);
    const chartRows = within(screen.getByTestId('measure-chart-table'))
      .getAllByRole('row')
      .slice(1)
      .map((row) => Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent));
    expect(chartRows.map((row) => row.slice(1))).toEqual([
      ['16.5', '◕ moderately severe'],
      ['12', '◑ moderate'],
    ]);
    expect(screen.getByRole('table', { name: "PHQ-9: the group's median per session" })).toBeTruthy();

    expect(screen.getByTestId('group-measure-phq9-withheld').textContent).toContain(
      '2 sessions had fewer than 3 scores and are not shown.',
    );

    const spread = screen.getByRole('table', { name: "PHQ-9: members' latest scores by band" });
    const spreadRows = within(spread)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [row.querySelector('th')?.textContent?.trim(), row.querySelector('td')?.textContent?.trim()]);
    expect(spreadRows).toEqual([
      ['○ minimal', '0'],
      ['◔ mild', '1'],
      ['◑ moderate', '2'],
      ['◕ moderately severe', '1'],
      ['● severe', '0'],
    ]);

    const text = screen.getByTestId('group-measures').textContent ?? '';
    for (const name of MEMBERS) expect(text).not.toContain(name);
  });

  it('says what comes next when the group has no scores', async () => {
    api.measureGroupSummary.mockResolvedValue(ok([]));
    render(GroupMeasuresCard, { groupId: 7 });
    const empty = await screen.findByTestId('group-measures-empty');
    expect(empty.textContent?.replace(/\s+/g, ' ')).toContain(
      "Scores entered in session notes appear here as the group's median",
    );
    expect(screen.queryByTestId('measure-chart')).toBeNull();
  });

  it('shows no median and no spread when too few have scored', async () => {
    api.measureGroupSummary.mockResolvedValue(
      ok([
        {
          instrument: 'gad7',
          sessions: [{ sessionId: 40, date: '2030-01-08', count: 2, median: null }],
          latestSpread: [],
        },
      ]),
    );
    render(GroupMeasuresCard, { groupId: 7 });
    expect((await screen.findByTestId('group-measure-gad7-no-median')).textContent).toContain(
      'No session has 3 scores yet',
    );
    expect(screen.getByTestId('group-measure-gad7-withheld').textContent).toContain(
      '1 session had fewer than 3 scores and is not shown.',
    );
    expect(screen.getByTestId('group-measure-gad7-no-spread')).toBeTruthy();
    expect(screen.queryByRole('table', { name: /latest scores by band/ })).toBeNull();
    expect(plots.made).toHaveLength(0);
  });

  it('stays away quietly when the group is not one of mine', async () => {
    api.measureGroupSummary.mockResolvedValue(refused('forbidden', 'Not one of your groups.'));
    render(GroupMeasuresCard, { groupId: 7 });
    await vi.waitFor(() => expect(api.measureGroupSummary).toHaveBeenCalled());
    await vi.waitFor(() => expect(screen.queryByText('Loading measures…')).toBeNull());
    expect(screen.queryByRole('heading', { name: 'Measures' })).toBeNull();
    expect(screen.queryByText(/Not one of your groups/)).toBeNull();
  });

  it('is not shown, nor asked for, at the front desk', () => {
    signin.signedIn = frontDesk();
    render(GroupMeasuresCard, { groupId: 7 });
    expect(screen.queryByRole('heading', { name: 'Measures' })).toBeNull();
    expect(api.measureGroupSummary).not.toHaveBeenCalled();
  });
});
