/**
 * Words for backups: sizes, the stage a backup is at, what a backup holds,
 * what a restore did, and what to do about a finding of "Check the vault".
 */
import type { BackupStage, BackupSummary, RestoreOutcome } from '../../lib/api';

/** "4.2 MB" (a backup is rarely smaller than a megabyte; never "0.0 MB"). */
export function megabytes(bytes: number): string {
  const mb = bytes / 1_000_000;
  if (mb < 0.1) return 'under 0.1 MB';
  return `${mb.toFixed(1)} MB`;
}

export const STAGE_WORDS: Record<BackupStage, string> = {
  practice: 'Copying the practice database',
  clinical: 'Copying the notes database',
  writing: 'Writing the backup file',
  pruning: 'Removing older backups',
};

const STAGE_ORDER: readonly BackupStage[] = ['practice', 'clinical', 'writing', 'pruning'];

/** How far a backup is, 0 to 1, from its stage and the fraction of that stage. */
export function backupFraction(stage: BackupStage, fraction: number | null): number {
  const step = STAGE_ORDER.indexOf(stage);
  const within = Math.min(Math.max(fraction ?? 0, 0), 1);
  return (step + within) / STAGE_ORDER.length;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "12 clients, 3 groups, 40 sessions" — what the backup's manifest counts. */
export function holdsLine(summary: BackupSummary): string {
  const { clients, groups, sessions } = summary.counts;
  return [
    count(clients, 'client', 'clients'),
    count(groups, 'group', 'groups'),
    count(sessions, 'session', 'sessions'),
  ].join(', ');
}

/** The signed notes a backup holds, or why they were not counted. */
export function signedNotesLine(summary: BackupSummary): string {
  const notes = summary.counts.signedNotes;
  if (notes === null) return 'not counted: made by a login without the clinical key';
  return count(notes, 'signed note', 'signed notes');
}

/**
 * What the unlock screen says after a restore: into a new folder (which
 * Circle opens from now on), or where the vault that was there went.
 */
export function restoredMessage(
  outcome: RestoreOutcome,
  hadVault: boolean,
  intoNewFolder = false,
): string {
  const parts = [
    intoNewFolder
      ? `Restored into ${outcome.vaultDir}. Circle opens the vault there from now on.`
      : 'Restored.',
  ];
  if (outcome.movedAside) {
    parts.push(
      hadVault
        ? `The vault that was here is kept at ${outcome.movedAside}.`
        : `What was in the folder before is kept at ${outcome.movedAside}.`,
    );
  }
  parts.push('Sign in to continue.');
  return parts.join(' ');
}

/** A finding of "Check the vault", with what to do when it does not say. */
export function withWhatToDo(finding: string): string {
  if (/\b(Restore|Reset|Choose|Ask)\b/.test(finding)) return finding;
  const sentence = /[.!?]$/.test(finding) ? finding : `${finding}.`;
  return `${sentence} Restore from the newest good backup, and ask whoever looks after this computer to check the disk.`;
}
