// What a new password must be, wherever one is set (sign-up, sign-up
// through an invitation, a password change), judged by the server.
//
// Length first (OWASP ASVS 4.0 V2.1.1: at least 12 characters; any
// character, spaces included, up to 256), then the check NIST SP 800-63B
// §5.1.1.2 asks of a verifier: not a value known to be common or
// compromised, not repetitive or sequential, not derived from the person
// or the service. "Common" is the password list of @zxcvbn-ts/language-common
// (about 49,000 passwords ranked by how often they appear in breach
// corpora, maintained with zxcvbn-ts), matched after undoing the usual
// disguises: case, l33t, digits and symbols around a word, a word twice.
//
// The list is data, not code: it is read where it is cheap (a file beside
// the web build, functions/node/common-passwords.ts), so the Worker stays
// within its bundle budget. Composition rules (a digit, a symbol) are
// deliberately absent: NIST advises against them.
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export type CommonPasswords = { has(word: string): boolean };

export const PASSWORD_PROBLEMS = {
  short: `Use at least ${PASSWORD_MIN_LENGTH} characters: a few unrelated words make a strong password that is easy to remember.`,
  common: 'This is one of the most common passwords, found in lists of breached passwords: choose something less predictable.',
  pattern: 'Repeated or sequential characters (like “aaaa”, “1234” or “qwerty”) are easy to guess: choose something less predictable.',
  personal: 'A password made of your name, your email address or the workspace name is easy to guess: add words of your own.',
} as const;
export type PasswordProblem = keyof typeof PASSWORD_PROBLEMS;

/** What a form says beside a new-password field, before anything is refused. */
export const PASSWORD_HINT = `At least ${PASSWORD_MIN_LENGTH} characters, not a common password and not your name or email: a few unrelated words work well.`;

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's', '!': 'i', '|': 'l' };
const SEQUENCES = [
  'abcdefghijklmnopqrstuvwxyz',
  '0123456789',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qwertzuiop',
  'azertyuiop',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  'qazwsxedcrfvtgbyhnujmikolp',
];

const letters = (text: string) => text.toLowerCase().normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, '');
const unleet = (text: string) => text.replace(/[0134578@$!|]/g, (c) => LEET[c] ?? c);

// The word a password is built around: without the digits and symbols
// people put before or after one, and a word typed twice once.
function cores(password: string): string[] {
  const lower = password.toLowerCase().normalize('NFKC');
  const compact = lower.replace(/\s+/g, '');
  const trimmed = compact.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const found = new Set([lower, compact, trimmed, letters(trimmed), unleet(compact), unleet(trimmed), letters(unleet(compact))]);
  for (const word of [...found]) {
    const twice = /^(.{3,}?)\1+$/u.exec(word);
    if (twice) found.add(twice[1]!);
  }
  found.delete('');
  return [...found];
}

function isPattern(password: string): boolean {
  const chars = letters(password);
  if (new Set(chars).size < 4) return true;
  const runs = SEQUENCES.flatMap((s) => [s + s, [...s + s].reverse().join('')]);
  return runs.some((run) => run.includes(chars)) || /^(.{1,4})\1+$/u.test(chars);
}

// What is left of the password once the person's own words are taken out.
function isPersonal(password: string, personal: readonly string[]): boolean {
  const words = personal
    .flatMap((p) => p.toLowerCase().normalize('NFKC').split(/[^\p{L}\p{N}]+/u))
    .filter((w) => w.length >= 3)
    .concat('relate')
    // Read as the password is (l33t undone), so "ada1815" finds "ada1815".
    .map(unleet)
    .sort((a, b) => b.length - a.length);
  let rest = unleet(letters(password));
  for (const word of words) rest = rest.split(word).join('');
  return rest.replace(/[^\p{L}]/gu, '').length < 4;
}

/** Why this password may not be set, or null when it may. */
export function passwordProblem(password: string, context: { common: CommonPasswords; personal: readonly string[] }): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'short';
  if (cores(password).some((word) => context.common.has(word))) return 'common';
  if (isPattern(password)) return 'pattern';
  if (isPersonal(password, context.personal)) return 'personal';
  return null;
}
