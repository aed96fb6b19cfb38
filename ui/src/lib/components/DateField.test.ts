import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import DateField from './DateField.svelte';

/** The typed parts, in the order they appear. */
function segments(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>('[data-segment]')].filter((el) =>
    ['day', 'month', 'year'].includes(el.dataset.segment ?? ''),
  );
}

async function type(el: HTMLElement, digits: string) {
  for (const key of digits) {
    await fireEvent.keyDown(document.activeElement ?? el, { key, code: `Digit${key}` });
  }
}

describe('DateField', () => {
  it('takes a date typed day, month, year in en-IE, moving on by itself', async () => {
    const onchange = vi.fn();
    const { container } = render(DateField, {
      label: 'Date of birth',
      name: 'dateOfBirth',
      locale: 'en-IE',
      onchange,
    });
    const parts = segments(container);
    expect(parts.map((el) => el.dataset.segment)).toEqual(['day', 'month', 'year']);
    expect(container.querySelector('[data-date-field="dateOfBirth"]')?.getAttribute('data-date-order')).toBe(
      'day,month,year',
    );
    parts[0].focus();
    await type(parts[0], '15');
    expect(document.activeElement).toBe(parts[1]);
    await type(parts[1], '03');
    expect(document.activeElement).toBe(parts[2]);
    await type(parts[2], '1988');
    expect(onchange).toHaveBeenLastCalledWith('1988-03-15');
  });

  it('takes the month first in en-US', async () => {
    const onchange = vi.fn();
    const { container } = render(DateField, { label: 'Start', locale: 'en-US', onchange });
    const parts = segments(container);
    expect(parts.map((el) => el.dataset.segment)).toEqual(['month', 'day', 'year']);
    parts[0].focus();
    await type(parts[0], '0315');
    await type(parts[2], '2030');
    expect(onchange).toHaveBeenLastCalledWith('2030-03-15');
  });

  it('shows a given ISO date in the locale order, and its error beside it', () => {
    const { container } = render(DateField, {
      label: 'From',
      name: 'fromDate',
      value: '2030-02-05',
      locale: 'de-DE',
      error: 'No sessions of this series fall on or after that date.',
    });
    expect(segments(container).map((el) => el.textContent)).toEqual(['05', '02', '2030']);
    expect(screen.getByTestId('error-fromDate').textContent).toContain('No sessions');
  });

  it("opens an empty date of birth's calendar decades back, not at today", async () => {
    render(DateField, { label: 'Date of birth', locale: 'en-IE', opensAt: '1986-01-01' });
    await fireEvent.click(screen.getByRole('button', { name: /from a calendar/ }));
    const year = (await screen.findByRole('combobox', { name: 'Year' })) as HTMLSelectElement;
    expect(year.value).toBe('1986');
  });
});
