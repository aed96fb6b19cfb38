import { render, screen, within } from '@testing-library/svelte';
import type uPlot from 'uplot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signin } from '../../../lib/signin.svelte';
import { ok, person, refused } from '../../../lib/testing/fixtures';
import { entry, GAD7, PHQ9, trend } from '../../measures/fixtures';
import { forgetForms } from '../../measures/measures';
import MeasuresCard from './MeasuresCard.svelte';

const api = vi.hoisted(() => ({
  measureForms: vi.fn(),
  measureTrends: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../../lib/api/bindings', () => ({ commands: api }));

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

describe('MeasuresCard', () => {
  it('says what to do next when there are no scores', async () => {
    api.measureTrends.mockResolvedValue(ok([]));
    render(MeasuresCard, { clientId: 12 });
    const empty = await screen.findByTestId('measures-empty');
    expect(empty.textContent).toContain('Enter PHQ-9…');
    expect(screen.queryByTestId('measure-chart')).toBeNull();
  });

  it('draws each measure from 0 to its maximum with its bands named, tables the scores and puts the change in words', async () => {
    api.measureTrends.mockResolvedValue(
      ok([
        trend(
          [
            entry({ id: 1, date: '2030-01-08', total: 18, severity: 'moderatelySevere' }),
            entry({ id: 2, date: '2030-01-15', total: 9, severity: 'mild' }),
          ],
          {
            first: 18,
            latest: 9,
            difference: -9,
            verdict: 'reliableAndClinicallySignificantImprovement',
            words: 'reliable and clinically significant improvement',
          },
        ),
      ]),
    );
    render(MeasuresCard, { clientId: 12 });

    const change = await screen.findByTestId('measure-phq9-change');
    expect(change.textContent).toContain('18 → 9: reliable and clinically significant improvement');
    expect(screen.getByTestId('measure-phq9-latest').textContent).toMatch(/9\s*of 27,\s*◔ mild/);

    const table = screen.getByTestId('measure-chart-table');
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent));
    expect(rows).toHaveLength(2);
    expect(rows[0].slice(1)).toEqual(['18', '◕ moderately severe']);
    expect(rows[1].slice(1)).toEqual(['9', '◔ mild']);

    expect(plots.made).toHaveLength(1);
    const { opts, data } = plots.made[0];
    expect(data[1]).toEqual([18, 9]);
    expect(opts.scales?.y?.range).toEqual([0, 27]);
    // The right-hand axis names every band with its symbol: no colour needed.
    const bandAxis = opts.axes?.[2];
    const splits = (bandAxis?.splits as () => number[])();
    const values = (bandAxis?.values as (u: unknown, s: number[]) => string[])(null, splits);
    expect(values).toEqual(['○ minimal', '◔ mild', '◑ moderate', '◕ moderately severe', '● severe']);
  });

  it('reads a refusal for a client outside my groups as a calm sentence', async () => {
    api.measureTrends.mockResolvedValue(refused('forbidden', 'Not one of your groups.'));
    render(MeasuresCard, { clientId: 12 });
    expect(await screen.findByText(/only for clients in groups you facilitate/)).toBeTruthy();
    expect(screen.queryByTestId('measures-error')).toBeNull();
  });
});
