import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import TimeZoneField from './components/TimeZoneField.svelte';
import { exactZone, searchZones, zoneCity } from './timezones';

const ZONES = [
  'America/Argentina/Buenos_Aires',
  'America/Chicago',
  'America/New_York',
  'Europe/Berlin',
  'Europe/Dublin',
  'Europe/London',
  'UTC',
];

describe('finding a time zone by typing', () => {
  it('finds Dublin by its city or its full name, however it is spaced', () => {
    for (const typed of ['Dublin', 'dublin', 'Dub', 'Europe/Dublin', 'europe / dublin', ' Europe/Dublin ']) {
      expect(searchZones(ZONES, typed)[0], typed).toBe('Europe/Dublin');
    }
    expect(exactZone(ZONES, 'Europe / Dublin')).toBe('Europe/Dublin');
    expect(exactZone(ZONES, 'Dublin')).toBeUndefined();
  });

  it('reads underscores as spaces and lists everything for nothing typed', () => {
    expect(searchZones(ZONES, 'new york')).toEqual(['America/New_York']);
    expect(searchZones(ZONES, 'buenos')).toEqual(['America/Argentina/Buenos_Aires']);
    expect(searchZones(ZONES, 'europe')).toEqual(['Europe/Berlin', 'Europe/Dublin', 'Europe/London']);
    expect(searchZones(ZONES, '')).toEqual(ZONES);
    expect(searchZones(ZONES, 'Atlantis')).toEqual([]);
    expect(zoneCity('America/Argentina/Buenos_Aires')).toBe('Buenos Aires');
  });

  it('lists the matches as the person types and takes the one chosen with the keyboard', async () => {
    const onchange = vi.fn();
    render(TimeZoneField, {
      label: 'Time zone',
      name: 'timezone',
      zones: ZONES,
      value: 'Europe/London',
      onchange,
    });
    const box = screen.getByRole('combobox', { name: 'Time zone' });
    expect((box as HTMLInputElement).value).toBe('Europe/London');
    await fireEvent.input(box, { target: { value: 'Dublin' } });
    const options = screen.getAllByRole('option');
    expect(options.map((o) => o.getAttribute('data-zone'))).toEqual(['Europe/Dublin']);
    expect(options[0].textContent).toContain('Europe/Dublin');
    expect(box.getAttribute('aria-activedescendant')).toBe(options[0].id);
    await fireEvent.keyDown(box, { key: 'Enter' });
    expect(onchange).toHaveBeenCalledWith('Europe/Dublin');
    expect((box as HTMLInputElement).value).toBe('Europe/Dublin');
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('takes a full name typed out, and goes back to the choice for anything else', async () => {
    const onchange = vi.fn();
    render(TimeZoneField, { label: 'Time zone', zones: ZONES, value: 'UTC', onchange });
    const box = screen.getByRole('combobox') as HTMLInputElement;
    await fireEvent.input(box, { target: { value: 'europe / berlin' } });
    await fireEvent.blur(box);
    expect(onchange).toHaveBeenLastCalledWith('Europe/Berlin');
    await fireEvent.input(box, { target: { value: 'Atlantis' } });
    expect(screen.getByRole('listbox').textContent).toContain('No time zone matches “Atlantis”');
    await fireEvent.blur(box);
    expect(box.value).toBe('Europe/Berlin');
  });
});
