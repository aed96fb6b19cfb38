/**
 * The practice's note scope (`PracticeSettings.notesScopeLimited`) as it is
 * saved now: on (the default) limits clinicians to the clients of groups
 * they facilitate.
 */
import { commands, unwrap } from '../../lib/api';

/** Reads the saved scope (throws an `ApiError` when it cannot be read). */
export async function readNotesScopeLimited(): Promise<boolean> {
  return unwrap(await commands.practiceSettings()).notesScopeLimited;
}
