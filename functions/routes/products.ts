import { createProduct, deleteProduct, getProduct, listProducts, purgeProduct, restoreProduct, updateProduct } from '../services/products';
import { productCreate, productListQuery, productPage, productSchema, productUpdate } from '../schemas/products';
import { router } from './env';
import { sendJson } from './openapi';
import { recordContracts } from './record-routes';

const routes = recordContracts({
  prefix: 'prd',
  names: { one: 'product', many: 'products', a: 'a product' },
  schemas: { record: productSchema, create: productCreate, update: productUpdate, listQuery: productListQuery, page: productPage },
  describe: {
    list: 'A page of the catalogue, filtered by text (name or SKU), categories and whether on sale, and sorted as asked, with `nextCursor` for the next page. `deleted=true` lists the trash instead.',
    create: 'Adds a product to the catalogue. Its SKU must be new to the workspace (the trash included); the price is in minor units of its currency.',
    get: 'One product of the catalogue. A product in the trash is still returned, with `deletedAt` set.',
    update: 'Changes only the fields sent. A new SKU must not belong to another product. Orders keep the SKU and name their lines were sold under.',
    trash: "The product leaves the catalogue's lists for the undo window; the orders that sold it are untouched.",
    restore: 'Brings a trashed product back into the catalogue as it was.',
    purge: 'Erases the product at once. Order lines keep what they sold (SKU, name, price) but lose the link, and the product leaves the bought-together suggestions. Needs a manager or stronger.',
  },
});

export const productsRoutes = router()
  .openapi(routes.list, async (c) => sendJson(c, await listProducts(c.get('scope'), c.req.valid('query')), 200))
  .openapi(routes.create, async (c) => sendJson(c, await createProduct(c.get('scope'), c.req.valid('json')), 201))
  .openapi(routes.get, async (c) => sendJson(c, await getProduct(c.get('scope'), c.req.valid('param').id), 200))
  .openapi(routes.update, async (c) => sendJson(c, await updateProduct(c.get('scope'), c.req.valid('param').id, c.req.valid('json')), 200))
  .openapi(routes.trash, async (c) => {
    await deleteProduct(c.get('scope'), c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(routes.restore, async (c) => sendJson(c, await restoreProduct(c.get('scope'), c.req.valid('param').id), 200))
  .openapi(routes.purge, async (c) => {
    await purgeProduct(c.get('scope'), c.req.valid('param').id);
    return c.body(null, 204);
  });
