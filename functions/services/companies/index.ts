export { getCompany, listCompanies } from './list';
export { createCompany, updateCompany } from './write';
export { deleteCompany, restoreCompany, purgeCompany } from './lifecycle';
