import { z } from '@hono/zod-openapi';
import { createSchemaFactory } from 'drizzle-zod';
import { isReservedKey } from '../domain/custom-fields';
import { CHANNELS, CONSENT_STATUSES, LIFECYCLE_STAGES } from '../domain/records';

// drizzle-zod built on the OpenAPI-aware zod, so schemas derived from tables
// carry into /api/openapi.json.
export const { createInsertSchema, createSelectSchema } = createSchemaFactory({ zodInstance: z });

const shortText = (max: number) => z.string().trim().max(max);
export const optionalText = (max: number) => shortText(max).nullable().optional();

export const emailSchema = z
  .object({ address: z.string().trim().toLowerCase().email().max(254), label: shortText(40).optional() })
  .strict();
export const phoneSchema = z
  .object({
    number: z
      .string()
      .trim()
      .min(3)
      .max(40)
      .regex(/^[0-9+()./\s-]+(\s*(x|ext\.?)\s*\d+)?$/i, 'must be a phone number'),
    label: shortText(40).optional(),
  })
  .strict();
export const addressSchema = z
  .object({
    street: shortText(200).optional(),
    city: shortText(100).optional(),
    region: shortText(100).optional(),
    postalCode: shortText(20).optional(),
    country: shortText(100).optional(),
  })
  .strict()
  .openapi('PostalAddress');
export const tagsSchema = z.array(shortText(50).min(1)).max(50);
// New definitions may not take these names; values are checked against the
// definitions a workspace has, which may include one made before the rule.
export const customFieldKey = z.string().refine((key) => !isReservedKey(key), 'is a name every object already has; choose another');

const customFieldValueMap = z.record(
  z.string().max(64),
  z.union([z.string().max(5000), z.number(), z.boolean(), z.array(z.string().max(200)).max(100), z.null()]),
);
// zod drops a __proto__ key from a record without a word (it would replace
// the prototype of the object it builds); a value sent under that key is
// refused instead of vanishing.
export const customFieldValuesSchema = z
  .preprocess<z.input<typeof customFieldValueMap>, typeof customFieldValueMap, z.input<typeof customFieldValueMap>>(
    (values, ctx) => {
      if (typeof values === 'object' && values !== null && Object.hasOwn(values, '__proto__')) {
        ctx.addIssue({ code: 'custom', path: ['__proto__'], message: 'is a name every object already has; choose another' });
      }
      return values;
    },
    customFieldValueMap,
  )
  .openapi('CustomFieldValues');
export const softDataSchema = z
  .object({
    interests: z.array(shortText(100).min(1)).max(50).optional(),
    preferences: shortText(2000).optional(),
    family: shortText(2000).optional(),
    notes: shortText(10_000).optional(),
  })
  .strict()
  .openapi('SoftData');

// A reference to another record: the id of the kind named, never an empty
// or free-form string.
export const idRef = (prefix: string) =>
  z.string().max(64).regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`), `must be an id starting with ${prefix}_`);

// Links that the UI renders as <a href>: only web schemes, so a stored
// javascript: or data: URL can never run in a colleague's browser.
export const webUrl = z
  .string()
  .trim()
  .max(500)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must start with http:// or https://');

export const lifecycleStage = z.enum(LIFECYCLE_STAGES);
export const channel = z.enum(CHANNELS);
export const consentStatus = z.enum(CONSENT_STATUSES);
