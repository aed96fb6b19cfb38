import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ok, refused } from '../../lib/testing/fixtures';
import { readNotesScopeLimited } from './noteScope';

const api = vi.hoisted(() => ({ practiceSettings: vi.fn() }));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

const practice = {
  name: 'Harbour Light Counselling',
  timezone: 'Europe/London',
  idleLockMinutes: 10,
  notesScopeLimited: false,
};

beforeEach(() => {
  api.practiceSettings.mockReset();
});

describe('readNotesScopeLimited', () => {
  it('reads the saved setting', async () => {
    api.practiceSettings.mockResolvedValue(ok(practice));
    expect(await readNotesScopeLimited()).toBe(false);
    api.practiceSettings.mockResolvedValue(ok({ ...practice, notesScopeLimited: true }));
    expect(await readNotesScopeLimited()).toBe(true);
  });

  it('passes a refusal on', async () => {
    api.practiceSettings.mockResolvedValue(refused('locked', 'Circle is locked. Unlock to continue.'));
    await expect(readNotesScopeLimited()).rejects.toThrow('Circle is locked');
  });
});
