import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosave } from './autosave.svelte';

/** A save whose result the test decides, one call at a time. */
function controlledSave() {
  const calls: { resolve: (at: string) => void; reject: (error: unknown) => void }[] = [];
  const save = vi.fn(
    () =>
      new Promise<string>((resolve, reject) => {
        calls.push({ resolve, reject });
      }),
  );
  return { save, calls };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Autosave', () => {
  it('saves one second after the last change', async () => {
    const save = vi.fn(() => Promise.resolve('2030-01-15T19:42:00Z'));
    const autosave = new Autosave(save);
    expect(autosave.state).toBe('clean');

    autosave.edit();
    expect(autosave.state).toBe('dirty');
    await vi.advanceTimersByTimeAsync(600);
    autosave.edit();
    await vi.advanceTimersByTimeAsync(600);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(400);
    expect(save).toHaveBeenCalledTimes(1);
    expect(autosave.state).toBe('saved');
    expect(autosave.savedAt).toBe('2030-01-15T19:42:00Z');
  });

  it('saves at most two seconds after the first unsaved change while typing goes on', async () => {
    const save = vi.fn(() => Promise.resolve('t'));
    const autosave = new Autosave(save);
    for (let i = 0; i < 9; i++) {
      autosave.edit();
      await vi.advanceTimersByTimeAsync(250);
    }
    // 2.25 s of steady typing: one save at the 2 s mark.
    expect(save).toHaveBeenCalledTimes(1);
    // The changes after it wait for their own pause.
    autosave.edit();
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).toHaveBeenCalledTimes(2);
  });

  it('saves straight away when a field loses focus, and not when nothing changed', async () => {
    const save = vi.fn(() => Promise.resolve('t'));
    const autosave = new Autosave(save);
    autosave.blur();
    expect(save).not.toHaveBeenCalled();
    autosave.edit();
    autosave.blur();
    expect(save).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3000);
    // The timers were cancelled by that save.
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('runs one save at a time and saves changes made meanwhile after it', async () => {
    const { save, calls } = controlledSave();
    const autosave = new Autosave(save);
    autosave.edit();
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).toHaveBeenCalledTimes(1);
    expect(autosave.state).toBe('saving');

    autosave.edit();
    await vi.advanceTimersByTimeAsync(5000);
    // Still only the first: the second waits for it.
    expect(save).toHaveBeenCalledTimes(1);
    expect(autosave.state).toBe('saving');

    calls[0].resolve('first');
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenCalledTimes(2);
    calls[1].resolve('second');
    await vi.advanceTimersByTimeAsync(0);
    expect(autosave.state).toBe('saved');
    expect(autosave.savedAt).toBe('second');
  });

  it('flush saves now, waits for a save under way, and says whether all is saved', async () => {
    const { save, calls } = controlledSave();
    const autosave = new Autosave(save);
    autosave.edit();
    autosave.blur();
    autosave.edit();
    let done: boolean | null = null;
    void autosave.flush().then((saved) => (done = saved));
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenCalledTimes(1);
    calls[0].resolve('a');
    await vi.advanceTimersByTimeAsync(0);
    // The change made during the first save goes next, without waiting for a timer.
    expect(save).toHaveBeenCalledTimes(2);
    expect(done).toBeNull();
    calls[1].resolve('b');
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
    expect(autosave.unsaved).toBe(false);
  });

  it('keeps the changes unsaved after a failure, and tries again on the next change', async () => {
    const failure = new Error('disk full');
    const save = vi.fn<() => Promise<string>>().mockRejectedValueOnce(failure).mockResolvedValue('ok');
    const autosave = new Autosave(save);
    autosave.edit();
    await vi.advanceTimersByTimeAsync(1000);
    expect(autosave.state).toBe('failed');
    expect(autosave.error).toBe(failure);
    expect(autosave.unsaved).toBe(true);

    // No retry on its own…
    await vi.advanceTimersByTimeAsync(10_000);
    expect(save).toHaveBeenCalledTimes(1);
    // …the failure stays on screen while typing goes on, until the next save starts.
    autosave.edit();
    expect(autosave.state).toBe('failed');
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).toHaveBeenCalledTimes(2);
    expect(autosave.state).toBe('saved');
    expect(autosave.error).toBeNull();
  });

  it('tries a failure that can clear by itself again on its own, waiting longer each time', async () => {
    const full = new Error('disk full');
    const save = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(full)
      .mockRejectedValueOnce(full)
      .mockResolvedValue('ok');
    const autosave = new Autosave(save, { retryable: (e) => e === full });
    autosave.edit();
    await vi.advanceTimersByTimeAsync(1000);
    expect(autosave.state).toBe('failed');
    expect(save).toHaveBeenCalledTimes(1);

    // Nobody types: 5 s later it tries again (still full), then 10 s after that.
    await vi.advanceTimersByTimeAsync(4999);
    expect(save).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(save).toHaveBeenCalledTimes(2);
    expect(autosave.state).toBe('failed');
    await vi.advanceTimersByTimeAsync(9999);
    expect(save).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(save).toHaveBeenCalledTimes(3);
    expect(autosave.state).toBe('saved');
    expect(autosave.unsaved).toBe(false);

    // Saved: no more tries.
    await vi.advanceTimersByTimeAsync(120_000);
    expect(save).toHaveBeenCalledTimes(3);
  });

  it('leaves a failure that only a change can mend to the person, even with retries on', async () => {
    const invalid = new Error('Keep a section under 20000 characters.');
    const save = vi.fn<() => Promise<string>>().mockRejectedValue(invalid);
    const autosave = new Autosave(save, { retryable: (e) => e !== invalid });
    autosave.edit();
    await vi.advanceTimersByTimeAsync(1000);
    expect(autosave.state).toBe('failed');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('tries again on retry() after a failure', async () => {
    const save = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new Error('busy'))
      .mockResolvedValue('ok');
    const autosave = new Autosave(save);
    autosave.edit();
    expect(await autosave.flush()).toBe(false);
    expect(autosave.state).toBe('failed');
    expect(await autosave.retry()).toBe(true);
    expect(save).toHaveBeenCalledTimes(2);
    expect(autosave.state).toBe('saved');
  });

  it('flush with nothing unsaved does not save', async () => {
    const save = vi.fn(() => Promise.resolve('t'));
    const autosave = new Autosave(save);
    expect(await autosave.flush()).toBe(true);
    expect(save).not.toHaveBeenCalled();
  });

  it('does nothing more once disposed', async () => {
    const save = vi.fn(() => Promise.resolve('t'));
    const autosave = new Autosave(save);
    autosave.edit();
    autosave.dispose();
    await vi.advanceTimersByTimeAsync(5000);
    autosave.edit();
    autosave.blur();
    await vi.advanceTimersByTimeAsync(5000);
    expect(save).not.toHaveBeenCalled();
  });
});
