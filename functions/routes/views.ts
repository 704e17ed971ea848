import { viewCreate, viewList, viewListQuery, viewSchema, viewUpdate } from '../schemas/views';
import { createView, deleteView, listViews, updateView } from '../services/views';
import { router } from './env';
import { contractsOf } from './contract';
import { idParam, json, jsonBody, sendJson } from './openapi';

const contract = contractsOf('views');
const params = idParam('view');

// Saved views of a list: a member's own, private or shared with the
// workspace. They belong to members, so API keys have none (403).
export const viewsRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/',
      summary: "A list's saved views",
      description: "The signed-in member's own views of the list and those shared with the workspace, by name.",
      permission: 'records:read',
      request: { query: viewListQuery },
      responses: { 200: json(viewList, 'Saved views') },
    }),
    async (c) => sendJson(c, await listViews(c.get('scope'), c.req.valid('query').entity), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/',
      summary: 'Save a view',
      description: "Saves a list's filters, sort and columns under a name, private (the default) or shared with the workspace. A member keeps at most 100 views per list.",
      permission: 'records:read',
      request: jsonBody(viewCreate),
      responses: { 201: json(viewSchema, 'The saved view') },
    }),
    async (c) => sendJson(c, await createView(c.get('scope'), c.req.valid('json')), 201),
  )
  .openapi(
    contract({
      method: 'patch',
      path: '/{id}',
      summary: 'Rename, share or update a view',
      description:
        "Changes a view's name, who sees it, or its state (the list's filters, sort and columns). Its maker may change it; a shared view also an owner, admin or manager, though only its maker makes it private again.",
      permission: 'records:read',
      request: { params, ...jsonBody(viewUpdate) },
      responses: { 200: json(viewSchema, 'The view as changed') },
    }),
    async (c) => sendJson(c, await updateView(c.get('scope'), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    contract({
      method: 'delete',
      path: '/{id}',
      summary: 'Delete a view',
      description: 'Deletes a saved view for everyone who sees it: its maker may, and for a shared view an owner, admin or manager. The records it listed are not touched.',
      permission: 'records:read',
      request: { params },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await deleteView(c.get('scope'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
