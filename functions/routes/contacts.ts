import { createContact, deleteContact, getContact, listContacts, purgeContact, restoreContact, updateContact } from '../services/contacts';
import { contactCreate, contactListQuery, contactPage, contactSchema, contactUpdate } from '../schemas/contacts';
import { router } from './env';
import { sendJson } from './openapi';
import { recordContracts } from './record-routes';

const routes = recordContracts({
  prefix: 'con',
  names: { one: 'contact', many: 'contacts', a: 'a contact' },
  schemas: { record: contactSchema, create: contactCreate, update: contactUpdate, listQuery: contactListQuery, page: contactPage },
  describe: {
    list: "A page of the workspace's contacts, filtered and sorted as the query asks, with `nextCursor` for the next page (null on the last). `q` searches names, emails, phones and company; `deleted=true` lists the trash instead.",
    create:
      "Creates a contact from any subset of its fields; it needs at least a first name, a last name or an email. Emails are stored trimmed and lower-cased. The creation is written to the audit trail and the contact's timeline.",
    get: "One contact with its company's name, custom field values and consent state. A contact in the trash is still returned, with `deletedAt` set.",
    update:
      'Changes only the fields sent; a field sent as null is cleared. The old and new values of the fields a timeline shows are written to the audit trail. A contact in the trash cannot be changed: restore it first.',
    trash:
      "The contact leaves lists and search but is kept, with its timeline, for the workspace's undo window (30 days unless configured otherwise); restore brings it back, and the nightly job erases it after that.",
    restore: 'Brings a trashed contact back into lists and search exactly as it was deleted.',
    purge:
      'Deletes the contact and its timeline at once, without waiting for the undo window; the audit trail records that it happened, not what it held. Needs a manager or stronger; it cannot be undone.',
  },
});

export const contactsRoutes = router()
  .openapi(routes.list, async (c) => sendJson(c, await listContacts(c.get('scope'), c.req.valid('query')), 200))
  .openapi(routes.create, async (c) => sendJson(c, await createContact(c.get('scope'), c.req.valid('json')), 201))
  .openapi(routes.get, async (c) => sendJson(c, await getContact(c.get('scope'), c.req.valid('param').id), 200))
  .openapi(routes.update, async (c) => sendJson(c, await updateContact(c.get('scope'), c.req.valid('param').id, c.req.valid('json')), 200))
  .openapi(routes.trash, async (c) => {
    await deleteContact(c.get('scope'), c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(routes.restore, async (c) => sendJson(c, await restoreContact(c.get('scope'), c.req.valid('param').id), 200))
  .openapi(routes.purge, async (c) => {
    await purgeContact(c.get('scope'), c.req.valid('param').id);
    return c.body(null, 204);
  });
