import type { ImportEntity } from '$functions/domain/imports';

// What the import pages say of each object a file can hold.
export const IMPORT_OBJECTS: Record<ImportEntity, { label: string; plural: string; path: string; matchedBy: string }> = {
  contact: { label: 'Contacts', plural: 'contacts', path: '/contacts', matchedBy: 'contact (by email)' },
  company: { label: 'Companies', plural: 'companies', path: '/companies', matchedBy: 'company (by domain)' },
  product: { label: 'Products', plural: 'products', path: '/products', matchedBy: 'product (by SKU)' },
  order: { label: 'Orders (one row per order line)', plural: 'orders', path: '/orders', matchedBy: 'order that was there before this import (by order number)' },
};

export const isImportEntity = (value: string | null): value is ImportEntity => value !== null && Object.hasOwn(IMPORT_OBJECTS, value);
