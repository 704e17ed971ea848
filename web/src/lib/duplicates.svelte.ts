import { api, call, type Duplicate } from './api';

// "Does this already exist?" while a create form is filled in: looked up
// as the person types (debounced), and once more on submit for what was
// typed last, so the warning always comes before the save. Records in the
// trash do not count (functions/schemas/duplicates.ts).
export class DuplicateCheck {
  found = $state<Duplicate[]>([]);
  // The value the warning is about; a create with it goes ahead only once
  // the warning has been shown.
  private checked = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest = 0;

  constructor(private readonly kind: 'contacts' | 'companies') {}

  private async lookup(value: string): Promise<Duplicate[]> {
    if (!value) return [];
    const page =
      this.kind === 'contacts'
        ? await call(api.api.duplicates.contacts.$get({ query: { email: value } }))
        : await call(api.api.duplicates.companies.$get({ query: { website: value } }));
    return page.data;
  }

  // As the person types: a valid-looking value only, a moment after the last key.
  typed(value: string) {
    clearTimeout(this.timer);
    const trimmed = value.trim();
    if (!this.plausible(trimmed)) {
      this.found = [];
      this.checked = trimmed;
      return;
    }
    this.timer = setTimeout(() => this.run(trimmed).catch(() => {}), 300);
  }

  private plausible(value: string) {
    return this.kind === 'contacts' ? /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value) : /\.[a-z]{2,}/i.test(value);
  }

  private async run(value: string) {
    const ticket = ++this.latest;
    const found = await this.lookup(value);
    if (ticket === this.latest) {
      this.found = found;
      this.checked = value;
    }
    return found;
  }

  // Before saving: true when the save should wait for the person to see
  // the warning (it was not shown yet for this value). A lookup that fails
  // does not block the create.
  async holdsBack(value: string): Promise<boolean> {
    clearTimeout(this.timer);
    const trimmed = value.trim();
    if (!this.plausible(trimmed)) return false;
    if (trimmed === this.checked) return false;
    try {
      return (await this.run(trimmed)).length > 0;
    } catch {
      return false;
    }
  }

  reset() {
    clearTimeout(this.timer);
    this.latest++;
    this.found = [];
    this.checked = '';
  }
}
