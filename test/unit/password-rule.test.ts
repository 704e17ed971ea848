import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS_HEADER, loadOnce, parseCommonPasswords } from '../../functions/domain/common-passwords';
import { PASSWORD_MIN_LENGTH, passwordProblem } from '../../functions/domain/password-rule';
import { commonPasswordsFile, commonPasswordsFromPackage } from '../../functions/node/common-passwords';

const common = await commonPasswordsFromPackage();
const judge = (password: string, personal: string[] = ['Grace Hopper', 'grace@navy.example', 'Harvard Mark']) =>
  passwordProblem(password, { common, personal });

describe('the password rule', () => {
  it(`refuses fewer than ${PASSWORD_MIN_LENGTH} characters, counting characters rather than UTF-16 units`, () => {
    expect(judge('tiny wombat')).toBe('short');
    expect(judge('🦘🦘🦘🦘🦘🦘')).toBe('short');
    expect(judge('tiny wombats')).toBeNull();
  });

  it('accepts passphrases of unrelated words, spaces included', () => {
    for (const ok of ['correct horse battery', 'a long passphrase', 'plum vinegar orbit', 'Kettle-Sonnet-Gravel']) expect(judge(ok), ok).toBeNull();
  });

  it('refuses the passwords breach lists are full of, however they are dressed up', () => {
    for (const bad of ['password1234', 'Password123!', 'P@ssw0rd2024!', 'iloveyouiloveyou', 'monkey123456', '!!sunshine2025', 'baseball baseball']) {
      expect(judge(bad), bad).toBe('common');
    }
  });

  it('refuses runs and repeats: keyboard rows, counting, one character over and over', () => {
    for (const bad of ['aaaaaaaaaaaaaa', '12345678901234', 'zyxwvutsrqponm', 'abcabcabcabcabc', 'asdfghjkl;asdf']) expect(judge(bad), bad).not.toBeNull();
    expect(judge('aaaaaaaaaaaaaa')).toBe('pattern');
  });

  it("refuses a password made of the person's own name, email or workspace, and the service's name", () => {
    expect(judge('Grace Hopper 1906')).toBe('personal');
    expect(judge('gracenavy2026!')).toBe('personal');
    expect(judge('HarvardMark-1944')).toBe('personal');
    expect(judge('Relate Relate 2026')).toBe('personal');
    // Digits in the person's words count as written, wherever l33t is undone.
    expect(passwordProblem('person13-abc123!!', { common, personal: ['person13-abc123@example.com'] })).toBe('personal');
    expect(passwordProblem('Ada1815Lovelace', { common, personal: ['Ada1815 Lovelace'] })).toBe('personal');
    // Words of one's own beside them are fine.
    expect(judge('grace loves bright kites')).toBeNull();
  });
});

describe('the common-password list file', () => {
  it('comes from the maintained list, tens of thousands of passwords, lower case', async () => {
    const text = await commonPasswordsFile();
    expect(text.startsWith(COMMON_PASSWORDS_HEADER)).toBe(true);
    const list = parseCommonPasswords(text);
    expect([...(list as Set<string>)].length).toBeGreaterThan(20_000);
    expect(list.has('password')).toBe(true);
    expect(list.has('Password')).toBe(false);
  });

  it('refuses anything else served in its place (the SPA page, a truncated file)', () => {
    expect(() => parseCommonPasswords('<!doctype html><html></html>')).toThrow(/not the common-password list/);
    expect(() => parseCommonPasswords(`${COMMON_PASSWORDS_HEADER}\npassword\n123456\n`)).toThrow(/holds only 2/);
  });

  it('is loaded once, and a failed load is tried again', async () => {
    let loads = 0;
    const file = `${COMMON_PASSWORDS_HEADER}\n${Array.from({ length: 1000 }, (_, i) => `word${i}`).join('\n')}\n`;
    const load = loadOnce(async () => {
      loads += 1;
      if (loads === 1) throw new Error('not deployed yet');
      return file;
    });
    await expect(load()).rejects.toThrow('not deployed yet');
    const [a, b] = await Promise.all([load(), load()]);
    expect(a).toBe(b);
    expect(loads).toBe(2);
  });
});

describe("the Node host's list", () => {
  it('is the web build’s file, or the package’s list where there is no build (npm run dev)', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { commonPasswordsFrom } = await import('../../functions/node/common-passwords');
    const built = mkdtempSync(join(tmpdir(), 'relate-build-'));
    mkdirSync(join(built, 'security'));
    writeFileSync(join(built, 'security/common-passwords.txt'), `${COMMON_PASSWORDS_HEADER}\n${Array.from({ length: 1000 }, (_, i) => `only${i}`).join('\n')}\n`);
    expect((await commonPasswordsFrom(built)()).has('only7')).toBe(true);
    expect((await commonPasswordsFrom(join(built, 'no-build-here'))()).has('password')).toBe(true);
  });
});
