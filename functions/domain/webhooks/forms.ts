// A form fill as a form tool posts it (JSON of any shape, or an HTML form's
// fields), read into the person it names and where they came from. A
// source's mapping says where each field is (a key, or a dot path into
// nested JSON); a field it does not map is looked for under the names
// form tools commonly give it, at any depth, so an unconfigured source
// still finds "Email" or "utm_source".

export const FORM_FIELDS = [
  'email', 'phone', 'firstName', 'lastName', 'fullName', 'company', 'jobTitle', 'message',
  'utmSource', 'utmMedium', 'utmCampaign', 'utmTerm', 'utmContent', 'landingPage', 'referrer',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];
export type FormMapping = Partial<Record<FormField, string>>;

export type FormFill = {
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  jobTitle: string | null;
  message: string | null;
  utm: { source: string | null; medium: string | null; campaign: string | null; term: string | null; content: string | null };
  landingPage: string | null;
  referrer: string | null;
};

const normal = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

const USUAL_NAMES: Record<FormField, string[]> = {
  email: ['email', 'emailaddress', 'mail', 'youremail', 'workemail'],
  phone: ['phone', 'phonenumber', 'tel', 'telephone', 'mobile', 'mobilephone'],
  firstName: ['firstname', 'first', 'givenname', 'fname'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'lname'],
  fullName: ['name', 'fullname', 'yourname', 'contactname'],
  company: ['company', 'companyname', 'organization', 'organisation', 'business'],
  jobTitle: ['jobtitle', 'title', 'role', 'position'],
  message: ['message', 'comments', 'comment', 'enquiry', 'inquiry', 'question'],
  utmSource: ['utmsource'],
  utmMedium: ['utmmedium'],
  utmCampaign: ['utmcampaign'],
  utmTerm: ['utmterm'],
  utmContent: ['utmcontent'],
  landingPage: ['landingpage', 'pageurl', 'pageuri', 'page', 'url', 'sourceurl'],
  referrer: ['referrer', 'referer', 'httpreferer'],
};

// How long a value may be: what the contact's fields take, and enough of
// a message or a URL.
const MAX_LENGTH: Record<FormField, number> = {
  email: 254, phone: 40, firstName: 100, lastName: 100, fullName: 200, company: 200, jobTitle: 100, message: 5000,
  utmSource: 200, utmMedium: 200, utmCampaign: 200, utmTerm: 200, utmContent: 200, landingPage: 2000, referrer: 2000,
};

type Leaf = { path: string; key: string; value: string };

// Every scalar of the payload with its path, shallow first, at most four
// levels down and 500 leaves (a form is not a data dump).
function leavesOf(payload: unknown): Leaf[] {
  const out: Leaf[] = [];
  let level: { path: string; key: string; value: unknown }[] = [{ path: '', key: '', value: payload }];
  for (let depth = 0; depth <= 4 && level.length && out.length < 500; depth++) {
    const next: typeof level = [];
    for (const { path, key, value } of level) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.push({ path, key, value: String(value) });
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) next.push({ path: path ? `${path}.${k}` : k, key: k, value: v });
      }
    }
    level = next;
  }
  return out.slice(0, 500);
}

function valueAt(payload: unknown, path: string): unknown {
  if (payload && typeof payload === 'object' && Object.hasOwn(payload, path)) return (payload as Record<string, unknown>)[path];
  return path.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), payload);
}

const clean = (value: unknown, field: FormField): string | null => {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  // A message keeps its lines; other fields are one line.
  const text = (field === 'message' ? String(value) : String(value).replace(/\s+/g, ' ')).trim();
  return text ? text.slice(0, MAX_LENGTH[field]) : null;
};

// An address as contacts keep it for matching: lower-cased, if it is one.
const emailOf = (text: string | null) => (text && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) ? text.toLowerCase() : null);

// A phone number as matching compares it: digits, with a leading + for an
// international number (00 read as +); null if too short to be one.
export function normalizedPhone(text: string | null | undefined): string | null {
  if (!text) return null;
  const trimmed = text.trim().replace(/^00/, '+');
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 6 || digits.length > 15) return null;
  return trimmed.startsWith('+') ? `+${digits}` : digits;
}

function utmFromUrl(url: string | null): Partial<Record<'source' | 'medium' | 'campaign' | 'term' | 'content', string>> {
  if (!url) return {};
  try {
    const params = new URL(url).searchParams;
    return Object.fromEntries(['source', 'medium', 'campaign', 'term', 'content'].flatMap((k) => (params.get(`utm_${k}`) ? [[k, params.get(`utm_${k}`)!.slice(0, 200)]] : [])));
  } catch {
    return {};
  }
}

export function readFormFill(payload: unknown, mapping: FormMapping = {}): FormFill {
  const leaves = leavesOf(payload);
  const find = (field: FormField): string | null => {
    const mapped = mapping[field];
    if (mapped) return clean(valueAt(payload, mapped), field);
    const names = USUAL_NAMES[field];
    const leaf = leaves.find((l) => names.includes(normal(l.key)));
    return leaf ? clean(leaf.value, field) : null;
  };
  let firstName = find('firstName');
  let lastName = find('lastName');
  const fullName = find('fullName');
  if (!firstName && !lastName && fullName) {
    const space = fullName.lastIndexOf(' ');
    firstName = space > 0 ? fullName.slice(0, space) : fullName;
    lastName = space > 0 ? fullName.slice(space + 1) : null;
  }
  const landingPage = find('landingPage');
  const fromUrl = utmFromUrl(landingPage);
  return {
    email: emailOf(find('email')),
    phone: find('phone'),
    firstName,
    lastName,
    company: find('company'),
    jobTitle: find('jobTitle'),
    message: find('message'),
    utm: {
      source: find('utmSource') ?? fromUrl.source ?? null,
      medium: find('utmMedium') ?? fromUrl.medium ?? null,
      campaign: find('utmCampaign') ?? fromUrl.campaign ?? null,
      term: find('utmTerm') ?? fromUrl.term ?? null,
      content: find('utmContent') ?? fromUrl.content ?? null,
    },
    landingPage,
    referrer: find('referrer'),
  };
}

// An HTML form's body (application/x-www-form-urlencoded) as the object a
// JSON form tool would send; a repeated field keeps its first value.
export function formBody(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) if (!Object.hasOwn(out, key)) out[key] = value;
  return out;
}
