import { ApiError } from './api';

// The state of one form's submit: busy while the request runs, then the
// error to show (a summary at the top, messages next to fields).
export class Submission {
  busy = $state(false);
  error = $state<ApiError | null>(null);
  // One create per opening of a form: sent as Idempotency-Key, so a submit
  // retried after a lost answer replays it instead of making a second record.
  private key = crypto.randomUUID();

  get once(): { 'idempotency-key': string } {
    return { 'idempotency-key': this.key };
  }

  get fields(): Record<string, string> {
    return this.error?.fields ?? {};
  }

  async run<T>(action: () => Promise<T>): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    this.error = null;
    try {
      return await action();
    } catch (error) {
      this.error = error instanceof ApiError ? error : new ApiError(0, 'client', error instanceof Error ? error.message : String(error));
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  reset() {
    this.error = null;
    this.key = crypto.randomUUID();
  }
}
