import { PASSWORD_PROBLEMS, passwordProblem, type CommonPasswords } from '../../domain/password-rule';
import { AppError } from '../errors';

// The server's word on a new password (functions/domain/password-rule.ts),
// wherever one is set: a 422 naming the field, with a reason the form shows
// beside it and a code (short, common, pattern, personal) a client can act on.
export async function refuseWeakPassword(
  commonPasswords: () => Promise<CommonPasswords>,
  password: string,
  personal: readonly (string | null | undefined)[],
  field = 'password',
) {
  const problem = passwordProblem(password, { common: await commonPasswords(), personal: personal.filter((p): p is string => !!p) });
  if (!problem) return;
  const message = PASSWORD_PROBLEMS[problem];
  throw new AppError(422, 'weak_password', message, [{ path: field, message, code: problem }]);
}
