export { getProduct, listProducts, productList } from './list';
export { createProduct, deleteProduct, purgeProduct, restoreProduct, updateProduct } from './write';
