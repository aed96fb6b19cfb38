import { render, screen, within } from '@testing-library/svelte';
import type uPlot from 'uplot';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import TrendChart from './TrendChart.svelte';

// jsdom has no canvas, so uPlot itself cannot draw here: a stand-in records
// what the component asks it to draw.
const plots = vi.hoisted(() => {
  const made: {
    opts: uPlot.Options;
    data: uPlot.AlignedData;
    target: HTMLElement;
    setSize: ReturnType<typeof vi.fn>;
    destroy: ReturnType<typeof vi.fn>;
  }[] = [];
  return { made };
});

vi.mock('uplot', async () => {
  const { vi } = await import('vitest');
  class FakePlot {
    width: number;
    setSize = vi.fn();
    destroy = vi.fn();
    constructor(opts: uPlot.Options, data: uPlot.AlignedData, target: HTMLElement) {
      this.width = opts.width;
      plots.made.push({ opts, data, target, setSize: this.setSize, destroy: this.destroy });
    }
  }
  return { default: FakePlot };
});

const seconds = (year: number, month: number, day: number) =>
  Math.floor(new Date(year, month - 1, day).getTime() / 1000);

describe('TrendChart', () => {
  beforeEach(() => {
    plots.made.length = 0;
  });

  it('plots ratings against local dates, oldest first', () => {
    render(TrendChart, {
      label: 'Speak up once per group',
      points: [
        { date: '2026-03-10', rating: 4 },
        { date: '2026-03-03', rating: 2 },
        { date: '2026-03-17', rating: 5 },
      ],
    });
    expect(plots.made).toHaveLength(1);
    const [xs, ys] = plots.made[0].data;
    expect(xs).toEqual([seconds(2026, 3, 3), seconds(2026, 3, 10), seconds(2026, 3, 17)]);
    expect(ys).toEqual([2, 4, 5]);
    expect(screen.getByTestId('trend-chart').getAttribute('data-points')).toBe('3');
  });

  it('fixes the rating scale at 1 to 5, with every whole rating labelled', () => {
    render(TrendChart, { label: 'Goal', points: [{ date: '2026-03-03', rating: 3 }], height: 200 });
    const { opts, target } = plots.made[0];
    expect(opts.height).toBe(200);
    expect(opts.scales?.y?.range).toEqual([1, 5]);
    expect(opts.scales?.x?.time).toBe(true);

    const yAxis = opts.axes![1];
    const splits = (yAxis.splits as () => number[])();
    expect(splits).toEqual([1, 2, 3, 4, 5]);
    const values = yAxis.values as (u: uPlot, splits: number[]) => string[];
    expect(values({} as uPlot, splits)).toEqual(['1', '2', '3', '4', '5']);

    // The series shows its dots and draws in the accent.
    const series = opts.series[1];
    expect(series.points?.show).toBe(true);
    expect(typeof series.stroke).toBe('string');
    // Drawn into the element that names the chart.
    expect(target.getAttribute('role')).toBe('img');
  });

  it('still plots a single rating, widening the date axis around it', () => {
    render(TrendChart, { label: 'Goal', points: [{ date: '2026-03-03', rating: 3 }] });
    const { opts, data } = plots.made[0];
    expect(data).toEqual([[seconds(2026, 3, 3)], [3]]);
    const range = opts.scales!.x!.range as (u: uPlot, min: number, max: number, key: string) => [number, number];
    const x = seconds(2026, 3, 3);
    const [min, max] = range({} as uPlot, x, x, 'x');
    expect(min).toBeLessThan(x);
    expect(max).toBeGreaterThan(x);
  });

  it('says the ratings in words for screen readers', () => {
    render(TrendChart, {
      label: 'Speak up once per group',
      locale: 'en-GB',
      points: [
        { date: '2026-03-10', rating: 4 },
        { date: '2026-03-03', rating: 2 },
      ],
    });
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'Speak up once per group: rated 2 on 3 Mar, 4 on 10 Mar',
    );
  });

  it("writes the day and month in the practice's locale", () => {
    render(TrendChart, {
      label: 'Sleep',
      locale: 'en-US',
      points: [{ date: '2026-03-03', rating: 3 }],
    });
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('Sleep: rated 3 on Mar 3');
  });

  it('keeps the same numbers in a table only screen readers see', () => {
    const { container } = render(TrendChart, {
      label: 'Goal',
      locale: 'en-GB',
      points: [
        { date: '2026-03-10', rating: 4 },
        { date: '2026-03-03', rating: 2 },
      ],
    });
    const table = screen.getByRole('table');
    expect(table.classList.contains('sr-only')).toBe(true);
    const headers = within(table).getAllByRole('columnheader').map((cell) => cell.textContent);
    expect(headers).toEqual(['Date', 'Rating']);
    const rows = [...container.querySelectorAll('tbody tr')].map((row) =>
      [...row.querySelectorAll('td')].map((cell) => cell.textContent),
    );
    expect(rows).toEqual([
      ['3 Mar', '2'],
      ['10 Mar', '4'],
    ]);
  });

  it('shows a calm sentence, and no chart, before any rating', () => {
    render(TrendChart, { label: 'Goal', points: [] });
    expect(plots.made).toHaveLength(0);
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.queryByRole('table')).toBeNull();
    expect(
      screen.getByText('No ratings yet. Ratings appear here once a session note rates this goal.'),
    ).toBeTruthy();
    expect(screen.getByTestId('trend-chart').getAttribute('data-points')).toBe('0');
  });

  it('destroys the chart when it goes away', () => {
    const { unmount } = render(TrendChart, { label: 'Goal', points: [{ date: '2026-03-03', rating: 3 }] });
    const { destroy } = plots.made[0];
    expect(destroy).not.toHaveBeenCalled();
    unmount();
    expect(destroy).toHaveBeenCalledTimes(1);
  });

  it('follows its container width and stops watching on unmount', () => {
    const observe = vi.fn();
    const disconnect = vi.fn();
    let resized: ResizeObserverCallback = () => {};
    class FakeResizeObserver {
      constructor(callback: ResizeObserverCallback) {
        resized = callback;
      }
      observe = observe;
      disconnect = disconnect;
      unobserve = vi.fn();
    }
    vi.stubGlobal('ResizeObserver', FakeResizeObserver);
    try {
      const { unmount } = render(TrendChart, {
        label: 'Goal',
        points: [{ date: '2026-03-03', rating: 3 }],
      });
      const { setSize, target } = plots.made[0];
      expect(observe).toHaveBeenCalledWith(target);

      resized([{ contentRect: { width: 480 } } as ResizeObserverEntry], {} as ResizeObserver);
      expect(setSize).toHaveBeenCalledWith({ width: 480, height: 160 });

      unmount();
      expect(disconnect).toHaveBeenCalledTimes(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
