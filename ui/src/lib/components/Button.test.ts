import { fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import Button from './Button.svelte';

const label = (text: string) => createRawSnippet(() => ({ render: () => `<span>${text}</span>` }));

describe('Button', () => {
  it('is a plain button by default, so it never submits a form by accident', async () => {
    const onclick = vi.fn();
    render(Button, { children: label('Save'), onclick });
    const button = screen.getByRole('button', { name: 'Save' });
    expect(button.getAttribute('type')).toBe('button');

    await fireEvent.click(button);
    expect(onclick).toHaveBeenCalledTimes(1);
  });

  it('is really disabled, not just styled that way', () => {
    render(Button, { children: label('Delete'), variant: 'danger', disabled: true });
    const button = screen.getByRole('button', { name: 'Delete' }) as HTMLButtonElement;
    // A disabled <button> takes no clicks or focus in the webview.
    expect(button.disabled).toBe(true);
  });

  it('can submit', () => {
    render(Button, { children: label('Unlock'), type: 'submit' });
    expect(screen.getByRole('button', { name: 'Unlock' }).getAttribute('type')).toBe('submit');
  });
});
