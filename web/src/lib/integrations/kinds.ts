// Relative, not $functions: test/unit/web imports this file under the root
// tsconfig, which knows no SvelteKit aliases.
import { FORM_FIELDS, type FormField } from '../../../../functions/domain/webhooks/forms';
import { SOURCE_KINDS, type SourceKind } from '../../../../functions/domain/webhooks/verify';

// What Settings → Integrations tells people about each kind of sender:
// its name, whether it posts form fills (and so takes a mapping), what
// its secret is, and where in the sender's dashboard the URL and secret go.

export type KindInfo = {
  label: string;
  // Form tools post people; email senders post deliverability events.
  forms: boolean;
  // Pasted from the sender, never generated.
  pasteOnly: boolean;
  secretLabel: string;
  help: string;
};

export const KINDS: Record<SourceKind, KindInfo> = {
  standard: {
    label: 'Standard Webhooks',
    forms: true,
    pasteOnly: false,
    secretLabel: 'Signing secret (whsec_…)',
    help: 'For any tool that signs per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature headers). In its webhook settings, add an endpoint with the receiving URL and give it the signing secret shown after you add the source, or paste the whsec_… secret it made.',
  },
  svix: {
    label: 'Svix / Resend',
    forms: false,
    pasteOnly: false,
    secretLabel: 'Signing secret (whsec_…)',
    help: 'For senders that deliver through Svix, such as Resend’s email events. In Resend: Webhooks → Add endpoint, paste the receiving URL, choose the email events, then copy its signing secret (whsec_…) here.',
  },
  postmark: {
    label: 'Postmark',
    forms: false,
    pasteOnly: false,
    secretLabel: 'Basic-auth user:password',
    help: 'Postmark signs nothing: it proves itself with a user and password inside the URL. In Postmark: your server → Settings → Webhooks → Add webhook, paste the URL with credentials shown after you add the source, and tick Delivery, Bounce, Spam complaint, Open, Click and Subscription change.',
  },
  sendgrid: {
    label: 'SendGrid',
    forms: false,
    pasteOnly: true,
    secretLabel: 'Verification key (public key)',
    help: 'In SendGrid: Settings → Mail Settings → Event Webhook, paste the receiving URL as the Post URL, turn on Signed Event Webhook Requests, then copy the verification key it shows and paste it here.',
  },
  mailgun: {
    label: 'Mailgun',
    forms: false,
    pasteOnly: true,
    secretLabel: 'Webhook signing key',
    help: 'In Mailgun: Sending → Webhooks, add the receiving URL for the events you want, then copy the HTTP webhook signing key from the same page and paste it here.',
  },
  hmac: {
    label: 'HMAC (a form tool’s own signature)',
    forms: true,
    pasteOnly: false,
    secretLabel: 'Shared secret',
    help: 'For a form tool that signs the body with an HMAC in a header of its own. Set the header, algorithm and encoding it documents (and a prefix such as sha256= if its header has one), give it the receiving URL and the shared secret.',
  },
};

export const KIND_OPTIONS = SOURCE_KINDS.map((kind) => ({ value: kind, label: KINDS[kind].label }));

// The contact fields a form's payload can fill, as people read them.
export const FORM_FIELD_LABELS: Record<FormField, string> = {
  email: 'Email',
  phone: 'Phone',
  firstName: 'First name',
  lastName: 'Last name',
  fullName: 'Full name',
  company: 'Company',
  jobTitle: 'Job title',
  message: 'Message',
  utmSource: 'UTM source',
  utmMedium: 'UTM medium',
  utmCampaign: 'UTM campaign',
  utmTerm: 'UTM term',
  utmContent: 'UTM content',
  landingPage: 'Landing page',
  referrer: 'Referrer',
};
export const FORM_FIELD_OPTIONS = FORM_FIELDS.map((field) => ({ value: field, label: FORM_FIELD_LABELS[field] }));

// Postmark's credentials go inside the URL it posts to.
export function urlWithCredentials(url: string, credentials: string): string {
  const at = credentials.indexOf(':');
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(credentials.slice(0, at));
  parsed.password = encodeURIComponent(credentials.slice(at + 1));
  return parsed.toString();
}
