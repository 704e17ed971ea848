import type { Component } from 'svelte';
import BooleanDisplay from './display/Boolean.svelte';
import CompanyDisplay from './display/Company.svelte';
import DateTimeDisplay from './display/DateTime.svelte';
import EmailDisplay from './display/Email.svelte';
import ListDisplay from './display/List.svelte';
import MoneyDisplay from './display/Money.svelte';
import MemberDisplay from './display/Member.svelte';
import PhoneDisplay from './display/Phone.svelte';
import SelectDisplay from './display/Select.svelte';
import TextDisplay from './display/Text.svelte';
import UrlDisplay from './display/Url.svelte';
import type { DisplayProps, FieldType } from './types';

// One entry per field type: how a value is shown (a list's cell, a record's
// summary). Kept plain — text and links, no state — so a page of rows stays
// cheap to draw. A new type is a new entry here, and TypeScript refuses a
// type without one.
export const DISPLAY: Record<FieldType, Component<DisplayProps>> = {
  text: TextDisplay,
  longText: TextDisplay,
  number: TextDisplay,
  money: MoneyDisplay,
  email: EmailDisplay,
  phone: PhoneDisplay,
  url: UrlDisplay,
  date: DateTimeDisplay,
  datetime: DateTimeDisplay,
  select: SelectDisplay,
  multiSelect: ListDisplay,
  tags: ListDisplay,
  boolean: BooleanDisplay,
  company: CompanyDisplay,
  member: MemberDisplay,
};
