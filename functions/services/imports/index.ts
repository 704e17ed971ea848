import type { ImportEntity } from '../../domain/imports';
import { invalid } from '../errors';
import { companyImporter } from './companies';
import { contactImporter } from './contacts';
import type { AnyImporter } from './importer';
import { orderImporter } from './orders';
import { productImporter } from './products';

// The objects a file can be imported into (see ./importer.ts for what one is).
export const IMPORTERS: Partial<Record<ImportEntity, AnyImporter>> = {
  contact: contactImporter,
  company: companyImporter,
  product: productImporter,
  order: orderImporter,
};

export function importerOf(entity: ImportEntity): AnyImporter {
  const importer = IMPORTERS[entity];
  if (!importer) throw invalid(`Importing ${entity}s is not available yet`, [{ path: 'entity', message: 'not importable' }]);
  return importer;
}
