import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import DialogOpeners from './testing/DialogOpeners.svelte';

const byId = (testid: string) => screen.getByTestId(testid);

async function focusIn(testid: string) {
  const dialog = byId(testid);
  await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
  return dialog;
}

afterEach(cleanup);

describe('Dialog and the keyboard', () => {
  it('takes focus as it opens, and Escape gives it back to what opened it', async () => {
    render(DialogOpeners);
    byId('remove-Ben').focus();
    await fireEvent.click(byId('remove-Ben'));
    await focusIn('remove-dialog');
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('remove-dialog')).toBeNull();
    expect(document.activeElement).toBe(byId('remove-Ben'));
  });

  it('keeps Shift+Tab inside as WebKitGTK names it, from the first control to the last', async () => {
    render(DialogOpeners);
    byId('remove-Ann').focus();
    await fireEvent.click(byId('remove-Ann'));
    await focusIn('remove-dialog');
    byId('remove-cancel').focus();
    await fireEvent.keyDown(window, { key: 'Unidentified', code: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(byId('remove-confirm'));
  });

  it('puts focus on the next control in the list when what opened it is gone (not on the page)', async () => {
    render(DialogOpeners);
    byId('remove-Ben').focus();
    await fireEvent.click(byId('remove-Ben'));
    await focusIn('remove-dialog');
    await fireEvent.click(byId('remove-confirm'));
    expect(screen.queryByTestId('remove-Ben')).toBeNull();
    expect(document.activeElement).not.toBe(document.body);
    expect(document.activeElement).toBe(byId('details-Ann'));
  });

  it('goes back to the first opener when a dialog opened from a closing one closes', async () => {
    render(DialogOpeners);
    byId('details-Cy').focus();
    await fireEvent.click(byId('details-Cy'));
    await focusIn('details-dialog');
    byId('details-move').focus();
    await fireEvent.click(byId('details-move'));
    await focusIn('move-dialog');
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('move-dialog')).toBeNull();
    expect(document.activeElement).toBe(byId('details-Cy'));
  });
});
