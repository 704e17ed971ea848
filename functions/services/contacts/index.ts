export { listContacts } from './list';
export { createContact, createContactUnless, updateContact, getContact } from './write';
export { deleteContact, restoreContact, purgeContact } from './lifecycle';
