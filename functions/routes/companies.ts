import { createCompany, deleteCompany, getCompany, listCompanies, purgeCompany, restoreCompany, updateCompany } from '../services/companies';
import { companyCreate, companyListQuery, companyPage, companySchema, companyUpdate } from '../schemas/companies';
import { router } from './env';
import { sendJson } from './openapi';
import { recordContracts } from './record-routes';

const routes = recordContracts({
  prefix: 'com',
  names: { one: 'company', many: 'companies', a: 'a company' },
  schemas: { record: companySchema, create: companyCreate, update: companyUpdate, listQuery: companyListQuery, page: companyPage },
  describe: {
    list: "A page of the workspace's companies, filtered and sorted as the query asks, with `nextCursor` for the next page (null on the last). `q` searches names and domains; `deleted=true` lists the trash instead.",
    create: "Creates a company; a name is required. The creation is written to the audit trail and the company's timeline.",
    get: 'One company with its custom field values. A company in the trash is still returned, with `deletedAt` set.',
    update:
      'Changes only the fields sent; a field sent as null is cleared. The old and new values of the fields a timeline shows are written to the audit trail. A company in the trash cannot be changed: restore it first.',
    trash:
      "The company leaves lists and search but is kept for the workspace's undo window (30 days unless configured otherwise); its people keep their link to it. Restore brings it back; the nightly job erases it after that.",
    restore: 'Brings a trashed company back into lists and search exactly as it was deleted.',
    purge:
      'Deletes the company and its timeline at once; its people stay, without a company, and the audit trail records that it happened. Needs a manager or stronger; it cannot be undone.',
  },
});

export const companiesRoutes = router()
  .openapi(routes.list, async (c) => sendJson(c, await listCompanies(c.get('scope'), c.req.valid('query')), 200))
  .openapi(routes.create, async (c) => sendJson(c, await createCompany(c.get('scope'), c.req.valid('json')), 201))
  .openapi(routes.get, async (c) => sendJson(c, await getCompany(c.get('scope'), c.req.valid('param').id), 200))
  .openapi(routes.update, async (c) => sendJson(c, await updateCompany(c.get('scope'), c.req.valid('param').id, c.req.valid('json')), 200))
  .openapi(routes.trash, async (c) => {
    await deleteCompany(c.get('scope'), c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(routes.restore, async (c) => sendJson(c, await restoreCompany(c.get('scope'), c.req.valid('param').id), 200))
  .openapi(routes.purge, async (c) => {
    await purgeCompany(c.get('scope'), c.req.valid('param').id);
    return c.body(null, 204);
  });
