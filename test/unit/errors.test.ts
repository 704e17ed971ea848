import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../functions/routes/errors';

// Shaped like the drivers' errors; which shape each driver really throws is
// proven against the drivers themselves in test/api (file) and test/worker
// (Hrana over HTTP).
function driverError(code: string, message: string, cause?: Error) {
  return Object.assign(new Error(message, { cause }), { name: 'LibsqlError', code });
}

describe('isUniqueViolation', () => {
  it('knows the file driver’s extended codes, wrapped by drizzle or not', () => {
    const unique = driverError('SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_UNIQUE: UNIQUE constraint failed: users.email');
    const primaryKey = driverError('SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_PRIMARYKEY: UNIQUE constraint failed: users.id');
    expect(isUniqueViolation(unique)).toBe(true);
    expect(isUniqueViolation(primaryKey)).toBe(true);
    expect(isUniqueViolation(new DrizzleQueryError('insert into "users" …', [], unique))).toBe(true);
  });

  it('knows sqld’s primary code by its message', () => {
    const hrana = driverError('SQLITE_CONSTRAINT', 'SQLITE_CONSTRAINT: SQLite error: UNIQUE constraint failed: users.email');
    expect(isUniqueViolation(hrana)).toBe(true);
    expect(isUniqueViolation(new DrizzleQueryError('insert …', [], hrana))).toBe(true);
  });

  it('leaves every other failure alone', () => {
    expect(isUniqueViolation(driverError('SQLITE_CONSTRAINT_NOTNULL', 'NOT NULL constraint failed: users.email'))).toBe(false);
    expect(isUniqueViolation(driverError('SQLITE_CONSTRAINT_FOREIGNKEY', 'FOREIGN KEY constraint failed'))).toBe(false);
    expect(isUniqueViolation(driverError('SQLITE_CONSTRAINT', 'SQLite error: CHECK constraint failed: x'))).toBe(false);
    expect(isUniqueViolation(driverError('SQLITE_BUSY', 'UNIQUE constraint failed, said a liar'))).toBe(false);
    expect(isUniqueViolation(new Error('UNIQUE constraint failed: users.email'))).toBe(false);
    expect(isUniqueViolation('SQLITE_CONSTRAINT_UNIQUE')).toBe(false);
  });
});
