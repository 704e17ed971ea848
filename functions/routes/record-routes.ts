import { createRoute, type z } from '@hono/zod-openapi';
import { contractsOf } from './contract';
import { requires } from './guard';
import { idempotencyHeaders, idempotent } from './idempotency';
import { errorResponses, idParam, json, jsonBody, security } from './openapi';

// The contracts of the seven routes every record resource answers — list,
// create, get, update, trash, restore, erase — written once. A resource
// gives its names, its schemas and what each operation does; its route
// file chains one handler per contract. The contracts are built where
// their schemas are concrete, so the OpenAPI document and the RPC client's
// types stay exact (a factory of whole routers would build them over type
// parameters, which Hono's types widen).

export type RecordResource<
  Record extends z.ZodType,
  Create extends z.ZodType,
  Update extends z.ZodType,
  ListQuery extends z.ZodObject,
  Page extends z.ZodType,
> = {
  // The id prefix (functions/domain/ids.ts) and how the API reference names
  // one record and many.
  prefix: string;
  names: { one: string; many: string; a: string };
  schemas: { record: Record; create: Create; update: Update; listQuery: ListQuery; page: Page };
  // What each operation does, beyond its summary.
  describe: { list: string; create: string; get: string; update: string; trash: string; restore: string; purge: string };
};


export function recordContracts<
  Record extends z.ZodType,
  Create extends z.ZodType,
  Update extends z.ZodType,
  ListQuery extends z.ZodObject,
  Page extends z.ZodType,
>({ prefix, names, schemas, describe }: RecordResource<Record, Create, Update, ListQuery, Page>) {
  const params = idParam(prefix);
  const contract = contractsOf(names.many);
  return {
    list: contract({
      method: 'get',
      path: '/',
      summary: `List ${names.many}`,
      description: describe.list,
      permission: 'records:read',
      request: { query: schemas.listQuery },
      responses: { 200: json(schemas.page, `A page of ${names.many}`) },
    }),
    create: createRoute({
      tags: [names.many],
      security,
      method: 'post',
      path: '/',
      summary: `Create ${names.a}`,
      description: `${describe.create} Send an \`Idempotency-Key\` header to make a retry safe: the same request with the same key answers the first result again (\`idempotent-replayed: true\`) instead of creating twice.`,
      middleware: [requires('records:write'), idempotent] as const,
      request: { ...jsonBody(schemas.create), headers: idempotencyHeaders },
      responses: { 201: json(schemas.record, `The new ${names.one}`), ...errorResponses },
    }),
    get: contract({
      method: 'get',
      path: '/{id}',
      summary: `Get ${names.a}`,
      description: describe.get,
      permission: 'records:read',
      request: { params },
      responses: { 200: json(schemas.record, `The ${names.one}`) },
    }),
    update: contract({
      method: 'patch',
      path: '/{id}',
      summary: `Update ${names.a}`,
      description: describe.update,
      permission: 'records:write',
      request: { params, ...jsonBody(schemas.update) },
      responses: { 200: json(schemas.record, `The updated ${names.one}`) },
    }),
    trash: contract({
      method: 'delete',
      path: '/{id}',
      summary: `Move ${names.a} to the trash`,
      description: describe.trash,
      permission: 'records:delete',
      request: { params },
      responses: { 204: { description: 'Done' } },
    }),
    restore: contract({
      method: 'post',
      path: '/{id}/restore',
      summary: `Restore ${names.a} from the trash`,
      description: describe.restore,
      permission: 'records:delete',
      request: { params },
      responses: { 200: json(schemas.record, `The restored ${names.one}`) },
    }),
    purge: contract({
      method: 'post',
      path: '/{id}/purge',
      summary: `Erase ${names.a} for good`,
      description: describe.purge,
      permission: 'records:purge',
      request: { params },
      responses: { 204: { description: 'Done' } },
    }),
  };
}
