import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import DateField from './DateField.svelte';

function year(container: HTMLElement): HTMLElement {
  const el = container.querySelector<HTMLElement>('[data-segment="year"]');
  if (!el) throw new Error('no year part');
  return el;
}

describe('DateField and the keyboard', () => {
  it("lets Shift+Tab leave backwards as WebKitGTK names it (a regression: it was stuck in the year)", async () => {
    const { container } = render(DateField, { label: 'Joins from', name: 'from', locale: 'en-IE' });
    const part = year(container);
    part.focus();
    // What the window on Linux sends for Shift+Tab: no key name, the Tab key's code.
    const shiftTab = await fireEvent.keyDown(part, { key: 'Unidentified', code: 'Tab', shiftKey: true });
    // fireEvent answers false when the default (moving focus back) was prevented.
    expect(shiftTab).toBe(true);
    expect(await fireEvent.keyDown(part, { key: 'Tab', code: 'Tab', shiftKey: true })).toBe(true);
  });

  it('still keeps other keys to the field (a letter types nothing)', async () => {
    const { container } = render(DateField, { label: 'Joins from', name: 'from', locale: 'en-IE' });
    const part = year(container);
    part.focus();
    expect(await fireEvent.keyDown(part, { key: 'x', code: 'KeyX' })).toBe(false);
  });
});
