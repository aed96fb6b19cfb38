import { render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { signin } from '../../lib/signin.svelte';
import { appInfo, person } from '../../lib/testing/fixtures';
import Shell from './Shell.svelte';

// Every screen's loading command waits forever: only the frame matters here.
vi.mock('../../lib/api/bindings', () => ({
  commands: new Proxy({}, { get: () => () => new Promise(() => {}) }),
  events: {},
}));

beforeEach(() => {
  signin.screen = 'account';
});

describe('Shell', () => {
  it('marks a demo practice on every screen', () => {
    signin.appInfo = appInfo({ isDemo: true });
    render(Shell, { person: person() });
    const band = screen.getByTestId('demo-band');
    expect(band.textContent).toContain('Demo practice');
    expect(band.textContent).toContain('do not enter real clients');
  });

  it('says nothing of the kind for a practice of real clients', () => {
    signin.appInfo = appInfo({ isDemo: false });
    render(Shell, { person: person() });
    expect(screen.queryByTestId('demo-band')).toBeNull();
  });
});
