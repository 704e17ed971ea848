export { listContacts } from './list';
export { createContact, updateContact, getContact } from './write';
export { deleteContact, restoreContact, purgeContact } from './lifecycle';
