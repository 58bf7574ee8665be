import { describe, expect, it } from 'vitest';
import { generateOneTimePassword, MIN_PASSWORD_LENGTH, passwordProblem } from './password-policy';

describe('the password rules (NIST SP 800-63B)', () => {
  it('refuse short passwords, saying how long a password must be', () => {
    expect(passwordProblem('short-pass1')).toMatch(/at least 12 characters/);
  });

  it('refuse a common password with a sentence that says why', () => {
    expect(passwordProblem('qwerty123456')).toBe(
      'That password is on a list of common and breached passwords that attackers try first; choose another.',
    );
    expect(passwordProblem('1qaz2wsx3edc4rfv')).toMatch(/list of common and breached passwords/);
    expect(passwordProblem('Password2024!!')).toMatch(/common one \("password"\) with characters added/);
    expect(passwordProblem('Sunshine123456')).toMatch(/common one/);
  });

  it('refuse repetition and the account’s own email or name', () => {
    expect(passwordProblem('abcabcabcabc')).toMatch(/repeats/);
    expect(passwordProblem('jane.doe-forever', { email: 'jane.doe@example.com' })).toMatch(/email/);
    expect(passwordProblem('my name is JaneDoe', { name: 'Jane Doe' })).toMatch(/your name/);
  });

  it('have no composition rules: a long passphrase of plain words is fine', () => {
    expect(passwordProblem('correct horse battery staple')).toBeNull();
    expect(passwordProblem('tram lilac orbit')).toBeNull();
    expect(passwordProblem('ééééééééééé')).toMatch(/at least/); // counted in characters, not bytes
  });

  it('make one-time passwords that pass the rules themselves', () => {
    const otp = generateOneTimePassword();
    expect(otp).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(otp.length).toBeGreaterThanOrEqual(MIN_PASSWORD_LENGTH);
    expect(passwordProblem(otp)).toBeNull();
  });
});
