export { getOrder, listOrders, orderList } from './list';
export { createOrder, deleteOrder, purgeOrder, restoreOrder, updateOrder } from './write';
export { upsertOrders } from './batch';
