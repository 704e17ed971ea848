import { changes } from '../../../web/src/lib/draft';
import { draftOf } from '../../../web/src/routes/contacts/[id]/draft';
console.log(changes, draftOf);
