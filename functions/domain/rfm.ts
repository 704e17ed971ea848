// The named RFM segments and spend tiers customers are sorted into; the
// nightly segmentation (functions/jobs/segmentation.ts) decides who is in
// which.
export const RFM_SEGMENTS = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new_customers',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cant_lose',
  'hibernating',
  'lost',
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export const VALUE_TIERS = ['vip', 'main', 'ordinary', 'scattered'] as const;
export type ValueTier = (typeof VALUE_TIERS)[number];

export const RUN_TRIGGERS = ['schedule', 'manual'] as const;
export const RUN_STATUSES = ['running', 'done', 'failed'] as const;
