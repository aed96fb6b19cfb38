/**
 * First-run setup, checked in the window before anything is sent, so every
 * field that needs fixing says so at once (Rust checks the same again and
 * has the last word). The rules and the words are the core's: practice
 * name (practice::validate_name), owner's name and username
 * (staff::validate_full_name, staff::validate_username). The passphrase is
 * scored by Rust's own policy (`passphraseStrength`) by the screen.
 */

export interface SetupFields {
  practiceName: string;
  timezone: string;
  ownerFullName: string;
  ownerUsername: string;
  passphrase: string;
  passphraseConfirm: string;
}

/** The core's limit on a practice's and a person's name. */
export const MAX_NAME_CHARS = 120;

const USERNAME = /^[a-z0-9._-]{2,32}$/;

/** Counts characters as Rust does (code points, not UTF-16 units). */
function length(text: string): number {
  return [...text].length;
}

/** What is wrong with each field, by field name; empty when nothing is. */
export function setupProblems(fields: SetupFields): Record<string, string> {
  const problems: Record<string, string> = {};
  const practice = fields.practiceName.trim();
  if (practice === '') problems.practiceName = "Enter the practice's name.";
  else if (length(practice) > MAX_NAME_CHARS) {
    problems.practiceName = `Keep the practice name under ${MAX_NAME_CHARS} characters.`;
  }
  if (fields.timezone.trim() === '') {
    problems.timezone = 'Choose the time zone your practice keeps its sessions in.';
  }
  const name = fields.ownerFullName.trim();
  if (name === '') problems.ownerFullName = 'Enter your full name.';
  else if (length(name) > MAX_NAME_CHARS) {
    problems.ownerFullName = `Keep the name under ${MAX_NAME_CHARS} characters.`;
  }
  if (!USERNAME.test(fields.ownerUsername.trim().toLowerCase())) {
    problems.ownerUsername =
      'Use 2 to 32 letters, digits, dots, dashes or underscores, with no spaces.';
  }
  if (fields.passphraseConfirm !== fields.passphrase) {
    problems.passphraseConfirm = 'This is not the same as the passphrase above. Type it again.';
  }
  return problems;
}
