import { z } from '@hono/zod-openapi';
import { decodeCursorText, type Cursor } from '../domain/cursor';
import { idRef } from './common';

// A cursor comes back from the client, so it is input like any other: its
// position must be a sort value the list could have written (text no longer
// than a sort name — two 100-character names or a 254-character email — or
// a safe integer: times in ms and row numbers, never Infinity or a fraction)
// and its id one of the list's own.
const position = (idPrefix: string) =>
  z.tuple([z.union([z.string().max(300), z.number().int()]), idRef(idPrefix)]);

export const cursorParam = (idPrefix: string) =>
  z
    .string()
    .max(500)
    .transform((text, ctx): Cursor => {
      const parsed = position(idPrefix).safeParse(decodeCursorText(text));
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: 'is not a cursor this list handed out' });
        return z.NEVER;
      }
      const [v, id] = parsed.data;
      return { v, id };
    })
    .optional()
    .openapi({ description: "From the previous page's nextCursor" });

// Each sort pages by one kind of value; a cursor from another sort of the
// same list is refused rather than compared across kinds.
export function refuseCursorOfAnotherSort(cursor: Cursor | undefined, textual: boolean, ctx: z.RefinementCtx) {
  if (cursor && typeof cursor.v !== (textual ? 'string' : 'number')) {
    ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'is from another sort order' });
  }
}

export const pageQuery = (idPrefix: string) => ({
  cursor: cursorParam(idPrefix),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
