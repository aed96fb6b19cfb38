import { render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { describe, expect, it } from 'vitest';
import { appInfo } from '../../lib/testing/fixtures';
import Welcome from './Welcome.svelte';

const content = createRawSnippet(() => ({ render: () => '<p>Screen content</p>' }));

describe('Welcome', () => {
  it('shows the product name and version it was given, around the screen content', () => {
    render(Welcome, { info: appInfo(), children: content });
    expect(screen.getByTestId('product-name').textContent).toBe('Circle Test Build');
    expect(screen.getByTestId('product-version').textContent).toBe('9.8.7-test.3');
    expect(screen.getByText('Screen content')).toBeTruthy();
    expect(screen.getByText('Nothing leaves this computer.')).toBeTruthy();
    expect(screen.getByRole('main')).toBeTruthy();
  });

  it('shows no name or version it was not given', () => {
    render(Welcome, { info: null, children: content });
    expect(screen.queryByTestId('product-name')).toBeNull();
    expect(screen.queryByTestId('product-version')).toBeNull();
    expect(screen.getByText('Screen content')).toBeTruthy();
  });
});
